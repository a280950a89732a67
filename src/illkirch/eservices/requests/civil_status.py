"""Rules of the civil-status services (acts of birth, marriage, death).

A service whose « Acte d'état civil » is set is checked by these rules on
top of its questions' own: its form (built with easyform, see
``demo/services.py``) uses the field names below. French law (Code civil,
décret 2017-890, art. 30 and 31 of the décret 62-921): a full copy or an
extract with filiation of a birth or marriage act is given only to the
person concerned, their spouse, ascendants, descendants or legal
representative, or to someone who states a legal ground (a lawyer, a
notary…); an extract without filiation, and any death act, to anyone.
"""

from illkirch.eservices import _
from illkirch.eservices.content.validators import InvalidValue
from illkirch.eservices.content.validators import french_postal_code
from zope.i18nmessageid import Message


# Field names the rules read.
DOCUMENT = "type_document"
QUALITY = "qualite"
LEGAL_GROUND = "motif_legal"
EVENT_DATE = "date_evenement"
BIRTH_DATE = "date_naissance"
COUNTRY_KIND = "pays_livraison"
POSTAL_CODE = "code_postal"
COUNTRY = "pays"

# Values of the choices, as the demo forms give them.
RESTRICTED_DOCUMENTS = (
    "Copie intégrale",
    "Extrait avec filiation",
    "Extrait plurilingue",
)
ENTITLED_QUALITIES = (
    "La personne concernée",
    "Son époux ou son épouse",
    "Un de ses ascendants (parent, grand-parent)",
    "Un de ses descendants (enfant, petit-enfant)",
    "Son représentant légal",
)
ABROAD = "Étranger"

NOT_ENTITLED = _(
    "error_civil_status_not_entitled",
    default="A full copy, an extract with filiation or a multilingual extract of "
    "a birth or marriage act is given only to the person concerned, their "
    "spouse, ascendants, descendants or legal representative, or on a stated "
    "legal ground. As « ${quality} », choose an extract without filiation, or "
    "state the legal ground of your request.",
)
FUTURE = _(
    "error_event_in_future", default="The date of the event cannot be in the future."
)
BIRTH_AFTER_DEATH = _(
    "error_birth_after_death",
    default="The date of birth must be before the date of death.",
)
COUNTRY_REQUIRED = _(
    "error_country_required", default="Give the country of the delivery address."
)
POSTAL_CODE_REQUIRED = _(
    "error_postal_code_required",
    default="Give the postal code of the delivery address.",
)


def check(service, values, today):
    """Errors (field name → message) of the answers ``values`` of a
    civil-status service; ``{}`` when the service has no act kind."""
    act = getattr(service, "civil_status_act", "") or ""
    if not act:
        return {}
    errors = {}
    event = values.get(EVENT_DATE)
    if event is not None and event > today:
        errors[EVENT_DATE] = FUTURE
    birth = values.get(BIRTH_DATE)
    if act == "death" and birth is not None and event is not None and birth > event:
        errors[BIRTH_DATE] = BIRTH_AFTER_DEATH
    if act in ("birth", "marriage"):
        document, quality = values.get(DOCUMENT), values.get(QUALITY)
        ground = (values.get(LEGAL_GROUND) or "").strip()
        if (
            document in RESTRICTED_DOCUMENTS
            and quality is not None
            and quality not in ENTITLED_QUALITIES
            and not ground
        ):
            errors[DOCUMENT] = Message(NOT_ENTITLED, mapping={"quality": quality})
    if COUNTRY_KIND in values:
        if values[COUNTRY_KIND] == ABROAD:
            if not (values.get(COUNTRY) or "").strip():
                errors[COUNTRY] = COUNTRY_REQUIRED
        elif not (values.get(POSTAL_CODE) or "").strip():
            errors[POSTAL_CODE] = POSTAL_CODE_REQUIRED
        else:
            try:
                french_postal_code(values[POSTAL_CODE])
            except InvalidValue as error:
                errors[POSTAL_CODE] = error.doc()
    return errors
