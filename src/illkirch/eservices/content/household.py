"""Households (foyers) and the persons they declare.

A Household is a folderish item under the site's « foyers » folder. Its
account holder owns it (local role Owner); everything the town keeps about a
household lives inside it (persons now; requests and invoices later), so that
the household's workflow state and local roles protect all of it at once.
"""

from illkirch.eservices import _
from illkirch.eservices.content import validators
from illkirch.eservices.content.billing_accounts import billing_account_taken
from illkirch.eservices.content.children import children_providing
from illkirch.eservices.content.titles import DerivedTitle
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def _vocabulary(*items):
    return SimpleVocabulary(
        [SimpleTerm(value=value, token=value, title=title) for value, title in items]
    )


CONTACT_PREFERENCES = _vocabulary(
    ("email", _("contact_email", default="By email")),
    ("phone", _("contact_phone", default="By telephone")),
)
CIVILITIES = _vocabulary(
    ("mme", _("civility_mme", default="Mrs")),
    ("m", _("civility_m", default="Mr")),
)
MEMBER_TYPES = _vocabulary(
    ("adult", _("member_type_adult", default="Adult")),
    ("child", _("member_type_child", default="Child")),
)
RELATIONSHIPS = _vocabulary(
    ("holder", _("relationship_holder", default="Account holder")),
    ("spouse", _("relationship_spouse", default="Spouse or partner")),
    ("child", _("relationship_child", default="Child")),
    ("parent", _("relationship_parent", default="Parent")),
    ("other", _("relationship_other", default="Other")),
)


class BillingAccountTaken(schema.ValidationError):
    """Another household holds this billing account number."""

    def doc(self):
        return self.args[0]


class BillingAccountLine(schema.TextLine):
    """A billing account number: unique across households. Bound to a
    household (its edit form, a REST ``PATCH``) or to the households' folder
    (the add form), the field refuses a number another household holds
    (``content.billing_accounts.billing_account_taken``); the domain layer checks
    the other paths."""

    def _validate(self, value):
        super()._validate(value)
        context = getattr(self, "context", None)
        if context is None or not value:
            return
        household = context if IHousehold.providedBy(context) else None
        if household is None and not IHouseholdFolder.providedBy(context):
            return
        message = billing_account_taken(household, value)
        if message is not None:
            raise BillingAccountTaken(message).with_field_and_value(self, value)


class IHouseholdFolder(model.Schema):
    """The folder holding every household (one per site)."""


class IHousehold(model.Schema):
    """A household: its address, how the town contacts it, its billing link."""

    street = schema.TextLine(
        title=_("label_street", default="Street and number"),
        max_length=200,
        required=True,
    )
    address_complement = schema.TextLine(
        title=_("label_address_complement", default="Address complement"),
        description=_(
            "help_address_complement", default="Building, floor, letter box…"
        ),
        max_length=200,
        required=False,
    )
    postal_code = schema.TextLine(
        title=_("label_postal_code", default="Postal code"),
        constraint=validators.french_postal_code,
        required=True,
    )
    city = schema.TextLine(
        title=_("label_city", default="City"),
        max_length=100,
        required=True,
    )
    contact_preference = schema.Choice(
        title=_("label_contact_preference", default="How the town contacts you"),
        vocabulary=CONTACT_PREFERENCES,
        default="email",
        required=True,
    )
    phone = schema.TextLine(
        title=_("label_phone", default="Telephone"),
        constraint=validators.french_phone,
        required=False,
    )
    mobile = schema.TextLine(
        title=_("label_mobile", default="Mobile telephone"),
        constraint=validators.french_phone,
        required=False,
    )

    directives.write_permission(
        billing_account="illkirch.eservices.ManageBillingAccount"
    )
    billing_account = BillingAccountLine(
        title=_("label_billing_account", default="Billing account number"),
        description=_(
            "help_billing_account",
            default="Links the household to the town's billing "
            "software. Set by the town's agents.",
        ),
        max_length=40,
        required=False,
    )

    # Set by the portal only: hidden from forms, and not writable through
    # the REST API by anyone but a site manager.
    directives.omitted("holder_id")
    directives.write_permission(holder_id="cmf.ManagePortal")
    holder_id = schema.ASCIILine(
        title=_("label_holder_id", default="Account holder"),
        required=False,
    )


class IPerson(model.Schema):
    """An adult or a child of a household."""

    member_type = schema.Choice(
        title=_("label_member_type", default="Adult or child"),
        vocabulary=MEMBER_TYPES,
        required=True,
    )
    civility = schema.Choice(
        title=_("label_civility", default="Civility"),
        vocabulary=CIVILITIES,
        required=True,
    )
    first_name = schema.TextLine(
        title=_("label_first_name", default="First name"),
        max_length=60,
        constraint=validators.person_name,
        required=True,
    )
    last_name = schema.TextLine(
        title=_("label_last_name", default="Last name"),
        max_length=60,
        constraint=validators.person_name,
        required=True,
    )
    birth_date = schema.Date(
        title=_("label_birth_date", default="Date of birth"),
        constraint=validators.past_date,
        required=True,
    )
    birth_place = schema.TextLine(
        title=_("label_birth_place", default="Place of birth"),
        max_length=100,
        required=False,
    )
    relationship = schema.Choice(
        title=_("label_relationship", default="Relationship to the account holder"),
        vocabulary=RELATIONSHIPS,
        required=True,
    )
    email = schema.TextLine(
        title=_("label_email", default="Email address"),
        description=_("help_adult_only", default="Adults only."),
        max_length=254,
        constraint=validators.email_address,
        required=False,
    )
    phone = schema.TextLine(
        title=_("label_phone", default="Telephone"),
        description=_("help_adult_only", default="Adults only."),
        constraint=validators.french_phone,
        required=False,
    )


@implementer(IHouseholdFolder)
class HouseholdFolder(Container):
    """Holds the households; only staff may list it."""


class IRequestFolder(model.Schema):
    """The folder holding the requests filed without household (one per site)."""


@implementer(IRequestFolder)
class RequestFolder(Container):
    """Holds the account-less requests; only staff may list it."""


@implementer(IHousehold)
class Household(Container):
    """A household (foyer)."""

    def persons(self):
        """Adults first, then children, each in the order they were added."""
        # #22: only the persons woken, not the requests, invoices, payments
        persons = children_providing(self, IPerson)
        return sorted(persons, key=lambda p: p.member_type != "adult")

    def holder(self):
        for person in self.persons():
            if person.relationship == "holder":
                return person
        return None


@implementer(IPerson)
class Person(DerivedTitle, Item):
    """A person of a household."""

    def Title(self):
        return f"{self.first_name or ''} {self.last_name or ''}".strip()
