"""One field of a citizen form as the templates read it: ``form_macros.pt``'s
field macro and the questions of ``file_request.pt``.

A field is a dict with the keys ``name`` (the form key), ``id``, ``anchor``
(where an error summary links: the first choice of a group), ``label``,
``description``, ``required``, ``widget`` (input, select, radio, checkboxes,
checkbox, textarea or label), ``input_type``, ``autocomplete``, ``choices``,
``value``, ``checked``, ``text`` (a label's rich text), ``error`` and
``described_by`` (the ids of the help and the error, for aria-describedby).
"""

from illkirch.eservices import dates


GROUPS = ("radio", "checkboxes")


def choice(field_id, suffix, value, title, selected):
    """One choice of a field: its input's id is ``<field id>-<suffix>``."""
    return {
        "id": f"{field_id}-{suffix}",
        "value": value,
        "title": title,
        "selected": selected,
    }


def form_field(
    name,
    field_id,
    label,
    *,
    value="",
    error=None,
    description="",
    required=False,
    widget="input",
    input_type="text",
    autocomplete="off",
    choices=(),
    checked=False,
    text=None,
):
    """The dict describing one field (see the module's docstring)."""
    choices = list(choices)
    described_by = " ".join(
        x
        for x in (description and f"{field_id}-help", error and f"{field_id}-error")
        if x
    )
    return {
        "name": name,
        "id": field_id,
        "anchor": choices[0]["id"] if widget in GROUPS and choices else field_id,
        "label": label,
        "description": description,
        "required": required,
        "widget": widget,
        "input_type": input_type,
        "autocomplete": autocomplete,
        "choices": choices,
        "value": value,
        "checked": checked,
        "text": text,
        "error": error,
        "described_by": described_by or None,
    }


def summary_error(anchor, label, message):
    """One line of a form's error summary: a link to ``#<anchor>``."""
    return {"anchor": anchor, "label": label or "", "message": message}


def field_errors(fields):
    """The error summary's lines of the ``form_field``s that have an error,
    in the form's order (``form_macros.pt``'s ``error_summary`` macro)."""
    return [
        summary_error(field["anchor"], field["label"], field["error"])
        for field in fields
        if field.get("error")
    ]


def display_value(field):
    """A field's answer as the wizards' summaries show it: a choice's title,
    a date as DD/MM/YYYY, the text otherwise."""
    if field["choices"]:
        return next((c["title"] for c in field["choices"] if c["selected"]), "")
    value = field["value"]
    if field["input_type"] == "date" and value:
        try:
            return dates.format_date(dates.parse_date(value))
        except ValueError:
            return value
    return value
