"""Forms prefilled from the household (« Dites-le-nous une fois », #17).

An editor says, per question of a service's form, which datum of the
household answers it (``SOURCES``: the holder's identity, the address, the
contact, the identity of the member concerned). The mapping is kept on the
service (an annotation: nothing in its schema nor its edit form) and set
through ``set_mapping``, which refuses a source that cannot answer the
question (a date question takes a date only…) with French messages.

``values`` gives a new request's answers: question name → raw value as the
wizard and ``POST /@requests`` take them (strings; dates as ISO YYYY-MM-DD,
the value of an HTML date input, which ``requests.answers.convert`` reads
as well as DD/MM/YYYY). The citizen may change every prefilled answer; the
answers are checked as typed ones when the request is sent.
"""

from illkirch.eservices import _
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import forms
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


MAPPING_KEY = "illkirch.eservices.prefill_mapping"
VOCABULARY_NAME = "illkirch.eservices.PrefillSources"
NONE = ""

# The kinds of data a source gives, and the kinds of question (forms.kind)
# each may answer.
ACCEPTS = {
    "text": ("text", "textarea"),
    "date": ("date",),
    "email": ("email", "text"),
    "phone": ("text",),
}


class Source:
    def __init__(self, id, title, kind, member=False):
        self.id = id
        self.title = title
        self.kind = kind
        self.member = member  # the member concerned's (services concerning one)


SOURCES = {
    source.id: source
    for source in (
        Source(
            "holder_last_name",
            _("prefill_holder_last_name", default="Account holder: last name"),
            "text",
        ),
        Source(
            "holder_first_name",
            _("prefill_holder_first_name", default="Account holder: first name"),
            "text",
        ),
        Source(
            "holder_birth_date",
            _("prefill_holder_birth_date", default="Account holder: date of birth"),
            "date",
        ),
        Source(
            "holder_birth_place",
            _("prefill_holder_birth_place", default="Account holder: place of birth"),
            "text",
        ),
        Source(
            "address",
            _("prefill_address", default="Address (street, postal code and city)"),
            "text",
        ),
        Source("street", _("prefill_street", default="Street and number"), "text"),
        Source(
            "address_complement",
            _("prefill_address_complement", default="Address complement"),
            "text",
        ),
        Source("postal_code", _("prefill_postal_code", default="Postal code"), "text"),
        Source("city", _("prefill_city", default="City"), "text"),
        Source(
            "email",
            _("prefill_email", default="Email address of the account"),
            "email",
        ),
        Source("phone", _("prefill_phone", default="Telephone"), "phone"),
        Source("mobile", _("prefill_mobile", default="Mobile telephone"), "phone"),
        Source(
            "member_last_name",
            _("prefill_member_last_name", default="Member concerned: last name"),
            "text",
            member=True,
        ),
        Source(
            "member_first_name",
            _("prefill_member_first_name", default="Member concerned: first name"),
            "text",
            member=True,
        ),
        Source(
            "member_birth_date",
            _("prefill_member_birth_date", default="Member concerned: date of birth"),
            "date",
            member=True,
        ),
        Source(
            "member_birth_place",
            _(
                "prefill_member_birth_place",
                default="Member concerned: place of birth",
            ),
            "text",
            member=True,
        ),
    )
}

UNKNOWN_QUESTION = _(
    "error_prefill_question", default="The service's form has no such question."
)
UNKNOWN_SOURCE = _(
    "error_prefill_source", default="Choose one of the proposed data of the household."
)
NO_MEMBER = _(
    "error_prefill_no_member",
    default="This service concerns no member of the household: choose a "
    "datum of the household or of its account holder.",
)
NOT_A_DATE = _(
    "error_prefill_date",
    default="A date question can only be prefilled with a date (of birth).",
)
ONLY_TEXT = _(
    "error_prefill_text",
    default="A date can only prefill a date question.",
)
NOT_PREFILLABLE = _(
    "error_prefill_kind",
    default="This kind of question (choices, numbers, yes or no) cannot be prefilled.",
)
NOT_FOR_TEXT = _(
    "error_prefill_incompatible",
    default="This datum cannot answer this question: choose a datum of the "
    "same kind (a text for a text, a date for a date, the email address for "
    "an email question).",
)
FORMAT = _(
    "error_prefill_format",
    default="Send the mapping as an object: question name → datum (or an "
    "empty text for none).",
)


class PrefillError(FieldErrors):
    """The mapping is refused (keys: the questions' names)."""


# the sources -------------------------------------------------------------------


@provider(IVocabularyFactory)
def PrefillSourcesVocabularyFactory(context):
    """The sources, for the editors (« none » first)."""
    terms = [
        SimpleTerm(
            value=NONE,
            token="none",
            title=_("prefill_none", default="Not prefilled"),
        )
    ]
    terms += [
        SimpleTerm(value=source.id, token=source.id, title=source.title)
        for source in SOURCES.values()
    ]
    return SimpleVocabulary(terms)


def prefillable_questions(service):
    """``[(name, field)]`` of the questions a source may answer."""
    kinds = {kind for accepted in ACCEPTS.values() for kind in accepted}
    return [
        (name, field)
        for name, field in forms.answer_fields(service)
        if forms.kind(field) in kinds
    ]


def sources_for(service, field):
    """The sources that may answer ``field`` of ``service``, in order."""
    kind = forms.kind(field)
    concerns_member = service.concerns != "none"
    return [
        source
        for source in SOURCES.values()
        if kind in ACCEPTS[source.kind] and (concerns_member or not source.member)
    ]


def check_source(service, field, source_id):
    """The message refusing ``source_id`` for ``field``; None when it fits."""
    if source_id == NONE:
        return None
    source = SOURCES.get(source_id)
    if source is None:
        return UNKNOWN_SOURCE
    if source.member and service.concerns == "none":
        return NO_MEMBER
    kind = forms.kind(field)
    if kind in ACCEPTS[source.kind]:
        return None
    if kind == "date":
        return NOT_A_DATE
    if source.kind == "date" and kind in ("text", "textarea", "email"):
        return ONLY_TEXT
    if kind not in ("text", "textarea", "email"):
        return NOT_PREFILLABLE
    return NOT_FOR_TEXT


# the mapping on the service -------------------------------------------------------


def mapping(service):
    """question name → source id, for the questions the form still has."""
    stored = IAnnotations(service).get(MAPPING_KEY) or {}
    names = {name for name, _field in forms.answer_fields(service)}
    return {name: source for name, source in stored.items() if name in names}


def set_mapping(service, changes):
    """Set the sources of some questions (``{name: source id}``, ``""`` or
    None for none); raise PrefillError with every refusal, nothing stored.
    The caller checks that the current user may edit the service."""
    if not isinstance(changes, dict):
        raise PrefillError({"mapping": FORMAT})
    fields = dict(forms.answer_fields(service))
    errors = {}
    result = dict(mapping(service))
    for name, source_id in changes.items():
        field = fields.get(name)
        if field is None:
            errors[str(name)[:60]] = UNKNOWN_QUESTION
            continue
        if source_id is None:
            source_id = NONE
        if not isinstance(source_id, str):
            errors[name] = UNKNOWN_SOURCE
            continue
        message = check_source(service, field, source_id)
        if message is not None:
            errors[name] = message
        elif source_id == NONE:
            result.pop(name, None)
        else:
            result[name] = source_id
    if errors:
        raise PrefillError(errors)
    IAnnotations(service)[MAPPING_KEY] = result
    return result


# the values ------------------------------------------------------------------------


def _address(household):
    city = " ".join(p for p in (household.postal_code, household.city) if p)
    return ", ".join(
        p for p in (household.street, household.address_complement, city) if p
    )


def _person(prefix, person):
    if person is None:
        return {}
    birth_date = person.birth_date
    return {
        f"{prefix}_last_name": person.last_name,
        f"{prefix}_first_name": person.first_name,
        f"{prefix}_birth_date": birth_date.isoformat() if birth_date else None,
        f"{prefix}_birth_place": person.birth_place,
    }


def account_email(household):
    """The email of the account filing (the current user's), else the
    holder's."""
    user = api.user.get_current()
    email = user.getProperty("email", "") if user is not None else ""
    if not email and household.holder() is not None:
        email = household.holder().email
    return email or None


def source_values(household, member=None):
    """source id → raw value (None when the household has none)."""
    holder = household.holder()
    result = {
        "address": _address(household) or None,
        "street": household.street,
        "address_complement": household.address_complement,
        "postal_code": household.postal_code,
        "city": household.city,
        "email": account_email(household),
        "phone": household.phone or (holder.phone if holder is not None else None),
        "mobile": household.mobile,
    }
    result.update(_person("holder", holder))
    result.update(_person("member", member))
    return result


def values(service, household, member=None):
    """question name → raw value of the questions the household answers
    (``member``: the Person concerned, once chosen)."""
    if household is None:
        return {}
    fields = dict(forms.answer_fields(service))
    known = source_values(household, member)
    result = {}
    for name, source_id in mapping(service).items():
        field = fields.get(name)
        if field is None or check_source(service, field, source_id) is not None:
            continue
        if SOURCES[source_id].member and member is None:
            continue
        value = known.get(source_id)
        if value:
            result[name] = str(value)
    return result


def member_values(service, household, member):
    """The answers given by the member concerned's identity only."""
    if household is None or member is None:
        return {}
    return {
        name: value
        for name, value in values(service, household, member).items()
        if SOURCES[mapping(service)[name]].member
    }
