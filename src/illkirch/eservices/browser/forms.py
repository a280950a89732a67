"""What the portal's hand-written forms share: the description of a field
for ``templates/form_macros.pt`` (label, widget, value, error, and the ids
that aria-describedby links)."""

INPUT_TYPES = {"birth_date": "date", "email": "email", "phone": "tel",
               "mobile": "tel", "password": "password",
               "password_confirm": "password", "current_password": "password"}
AUTOCOMPLETE = {
    "first_name": "given-name", "last_name": "family-name", "email": "email",
    "birth_date": "bday", "street": "address-line1",
    "address_complement": "address-line2", "postal_code": "postal-code",
    "city": "address-level2", "phone": "tel", "mobile": "tel",
    "password": "new-password", "password_confirm": "new-password",
    "current_password": "current-password",
}
RADIOS = ("contact_preference", "civility", "member_type")


def field_info(name, value, error=None, schema_field=None, *, key=None,
               label=None, description=None, required=None, autocomplete=True,
               offers=lambda value: True):
    """The dict ``form_macros.pt`` renders for one field.

    ``name`` is the field's schema name, ``key`` the form key when it differs
    (``members.0.first_name``); ``offers(value)`` filters the choices.
    """
    key = key or name
    field_id = "field-" + key.replace(".", "-")
    options = []
    vocabulary = getattr(schema_field, "vocabulary", None)
    if vocabulary is not None:
        options = [
            {"value": term.value, "title": term.title,
             "id": f"{field_id}-{term.value}", "selected": term.value == value}
            for term in vocabulary if offers(term.value)
        ]
    if description is None:
        description = getattr(schema_field, "description", "") or ""
    if required is None:
        required = bool(schema_field is not None and schema_field.required)
    described_by = " ".join(x for x in (description and f"{field_id}-help",
                                        error and f"{field_id}-error") if x)
    return {
        "name": key,
        "id": field_id,
        # an error summary links to the first radio of a group
        "anchor": options[0]["id"] if name in RADIOS and options else field_id,
        "label": label or (schema_field.title if schema_field is not None else name),
        "value": value or "",
        "widget": "radio" if name in RADIOS and options
        else "select" if options else "input",
        "type": INPUT_TYPES.get(name, "text"),
        "required": required,
        "autocomplete": AUTOCOMPLETE.get(name, "off") if autocomplete else "off",
        "options": options,
        "description": description,
        "error": error,
        "described_by": described_by or None,
    }


def captcha_challenge(context, error=None):
    """A new verification code for ``form_macros.pt``'s captcha macro."""
    from illkirch.eservices.accounts import registration

    return dict(registration.captcha_challenge(context), error=error)
