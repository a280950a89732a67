"""The régies: looking them up in the site's folder of régies, and a
régie's payment backend: which eopayment backend it uses and its options,
set by the Finance role. The form is generated from the backend's
own description of its parameters (``eopayment.get_backend(kind)
.description``). Secrets are stored, never shown back: the form leaves
their field empty, and an empty secret keeps the stored one.
"""

from illkirch.eservices import _
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.offered_backends import offered
from illkirch.eservices.site_folders import regies_folder

import eopayment
import re


# Set by the portal for each payment, not by the régie.
PORTAL_SET = (
    "normal_return_url",
    "automatic_return_url",
    "next_url",
    "direct_notification_url",
)
_SECRET = re.compile(r"(secret|key|password|passwd|cle|hmac|token)", re.IGNORECASE)

UNKNOWN_BACKEND = _("error_backend_unknown", default="Unknown payment backend.")
REQUIRED = _("error_answer_required", default="This answer is required.")
NOT_A_NUMBER = _("error_answer_number", default="Enter a whole number.")
NOT_A_CHOICE = _("error_answer_choice", default="Choose one of the proposed answers.")


def all_regies():
    """Régie id → ``Regie``, every régie of the site."""
    folder = regies_folder()
    if folder is None:
        return {}
    return {
        obj.getId(): obj
        for obj in folder.objectValues()
        if getattr(obj, "portal_type", "") == "Regie"
    }


def get_regie(regie_id):
    """The ``Regie`` of that id, or None."""
    folder = regies_folder()
    if folder is None or not regie_id:
        return None
    regie = folder.get(regie_id)
    return regie if getattr(regie, "portal_type", None) == "Regie" else None


class BackendError(FieldErrors):
    """The régie's payment settings refused, field by field."""


def backends():
    """``[(kind, caption)]`` of the eopayment backends offered to the régies:
    those proven end to end (``offered_backends.PROVEN``, docs/payments.md),
    and the demo bank on demo/test sites only."""
    return sorted(
        (kind, str(backend.description.get("caption", kind)))
        for kind, backend in eopayment.get_backends().items()
        if offered(kind)
    )


def is_secret(parameter):
    return bool(_SECRET.search(parameter["name"]))


def parameters(kind):
    """The parameters a régie sets for ``kind``: ``[{"name", "caption",
    "type" ("text", "bool", "int", "choice", "list"), "required", "default",
    "choices": [(value, title)], "secret"}]``."""
    if not isinstance(kind, str) or not offered(kind):
        raise BackendError({"backend": UNKNOWN_BACKEND})
    try:
        backend = eopayment.get_backend(kind)
    except (ImportError, KeyError, ValueError):
        raise BackendError({"backend": UNKNOWN_BACKEND}) from None
    result = []
    for parameter in backend.description.get("parameters", []):
        name = parameter.get("name", "")
        if not name or parameter.get("deprecated") or name in PORTAL_SET or " " in name:
            continue
        kind_type = parameter.get("type")
        choices = [
            tuple(c) if isinstance(c, (list, tuple)) else (c, c)
            for c in parameter.get("choices") or []
        ]
        if kind_type is bool:
            field_type = "bool"
        elif kind_type is int:
            field_type = "int"
        elif kind_type is list:
            field_type = "list"
        elif choices:
            field_type = "choice"
        else:
            field_type = "text"
        result.append(
            {
                "name": name,
                "caption": str(parameter.get("caption") or name),
                "type": field_type,
                "required": bool(parameter.get("required")),
                "default": parameter.get("default"),
                "choices": [(str(v), str(t)) for v, t in choices],
                "secret": is_secret(parameter),
            }
        )
    return result


def set_backend(regie, kind, values):
    """Check ``values`` (name → text from a form or JSON) against the
    backend's parameters and store them; an empty secret keeps the stored
    one. Raise BackendError with name → message."""
    params = parameters(kind)
    stored = dict(regie.backend_options or {}) if regie.backend == kind else {}
    options, errors = {}, {}
    for param in params:
        name = param["name"]
        raw = values.get(name)
        if param["type"] == "bool":
            options[name] = raw in (True, "on", "1", "true", "True")
            continue
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, "", []):
            if param["secret"] and stored.get(name):
                options[name] = stored[name]
            elif param["required"] and param["default"] in (None, ""):
                errors[name] = REQUIRED
            elif param["default"] not in (None, ""):
                options[name] = param["default"]
            continue
        if param["type"] == "int":
            try:
                options[name] = int(raw)
            except (TypeError, ValueError):
                errors[name] = NOT_A_NUMBER
        elif param["type"] == "choice":
            if str(raw) not in {v for v, _t in param["choices"]}:
                errors[name] = NOT_A_CHOICE
            else:
                options[name] = str(raw)
        elif param["type"] == "list":
            items = raw if isinstance(raw, list) else [raw]
            allowed = {v for v, _t in param["choices"]}
            if allowed and not set(map(str, items)) <= allowed:
                errors[name] = NOT_A_CHOICE
            else:
                options[name] = [str(i) for i in items]
        else:
            options[name] = str(raw)
    if errors:
        raise BackendError(errors)
    regie.backend = kind
    regie.backend_options = options
    return options
