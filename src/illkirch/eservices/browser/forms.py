"""What the portal's hand-written forms share: the fields of the account
schemas (as ``form_field``s, with their input types and autocompletion) and
the verification code."""

from illkirch.eservices.browser.form_field import choice
from illkirch.eservices.browser.form_field import form_field


INPUT_TYPES = {
    "birth_date": "date",
    "email": "email",
    "phone": "tel",
    "mobile": "tel",
    "password": "password",
    "password_confirm": "password",
    "current_password": "password",
}
AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "birth_date": "bday",
    "street": "address-line1",
    "address_complement": "address-line2",
    "postal_code": "postal-code",
    "city": "address-level2",
    "phone": "tel",
    "mobile": "tel",
    "password": "new-password",
    "password_confirm": "new-password",
    "current_password": "current-password",
}
RADIOS = ("contact_preference", "civility", "member_type")


def field_info(
    name,
    value,
    error=None,
    schema_field=None,
    *,
    key=None,
    label=None,
    description=None,
    required=None,
    autocomplete=True,
    offers=lambda value: True,
):
    """The ``form_field`` of one field of an account schema.

    ``name`` is the field's schema name, ``key`` the form key when it differs
    (``members.0.first_name``); ``offers(value)`` filters the choices.
    """
    key = key or name
    field_id = "field-" + key.replace(".", "-")
    vocabulary = getattr(schema_field, "vocabulary", None) or ()
    choices = [
        choice(field_id, term.value, term.value, term.title, term.value == value)
        for term in vocabulary
        if offers(term.value)
    ]
    if description is None:
        description = getattr(schema_field, "description", "") or ""
    if required is None:
        required = bool(schema_field is not None and schema_field.required)
    return form_field(
        key,
        field_id,
        label or (schema_field.title if schema_field is not None else name),
        value=value or "",
        error=error,
        description=description,
        required=required,
        widget="radio"
        if name in RADIOS and choices
        else "select"
        if choices
        else "input",
        input_type=INPUT_TYPES.get(name, "text"),
        autocomplete=AUTOCOMPLETE.get(name, "off") if autocomplete else "off",
        choices=choices,
    )


def captcha_challenge(context, error=None):
    """A new verification code for ``form_macros.pt``'s captcha macro, with
    ``renew``: where « Nouveau code » asks for another one (REST)."""
    from illkirch.eservices.accounts import registration
    from plone import api

    root = api.portal.get_navigation_root(context).absolute_url()
    return dict(
        registration.captcha_challenge(context),
        error=error,
        renew=f"{root}/@registration/captcha",
    )
