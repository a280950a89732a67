"""A question of a service's easyform form as a ``form_field``, and the
files posted for a supporting document: the citizen's wizard
(``services.FileRequestWizard``) and the correction form (``corrections``)
show the questions and read the documents the same way."""

from illkirch.eservices.browser.form_field import choice
from illkirch.eservices.browser.form_field import form_field
from illkirch.eservices.requests import forms


PREFIX = "a."
RADIO_MAX = 5
WIDGETS = {
    "multichoice": "checkboxes",
    "boolean": "checkbox",
    "textarea": "textarea",
    "label": "label",
}
INPUT_TYPES = {
    "date": "date",
    "datetime": "datetime-local",
    "integer": "number",
    "email": "email",
    "url": "url",
}


def question_field(name, field, service, request, value, error):
    """The ``form_field`` of the question ``name`` (its easyform ``field``)
    of ``service``'s form, showing ``value`` (the raw answer) and ``error``."""
    kind = forms.kind(field)
    field_id = f"field-{name}"
    info = forms.describe(name, field, service, request)
    choices = []
    if kind in ("choice", "multichoice"):
        selected = value if isinstance(value, list) else [value]
        choices = [
            choice(
                field_id,
                index,
                term["token"],
                term["title"],
                term["token"] in selected or term["value"] in selected,
            )
            for index, term in enumerate(forms.choices(field, service))
        ]
    return form_field(
        PREFIX + name,
        field_id,
        info["title"],
        value="" if value is None or isinstance(value, list) else str(value),
        error=error,
        description=info["description"],
        required=info["required"],
        widget=("radio" if len(choices) <= RADIO_MAX else "select")
        if kind == "choice"
        else WIDGETS.get(kind, "input"),
        input_type=INPUT_TYPES.get(kind, "text"),
        choices=choices,
        checked=value not in (None, "", False, "0", "off"),
        text=info.get("text"),
    )


def document_uploads(request, key, doc_id):
    """The files posted under the form key ``key`` for the supporting
    document ``doc_id``, as ``requests.documents.check_files`` takes them
    (empty file inputs left out)."""
    value = request.form.get(key)
    return [
        {"document": doc_id, "filename": upload.filename, "data": upload.read()}
        for upload in (value if isinstance(value, list) else [value])
        if upload is not None
        and not isinstance(upload, str)
        and getattr(upload, "filename", "")
    ]
