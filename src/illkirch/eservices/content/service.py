"""Services (démarches) of the catalogue and their supporting documents.

A Service is a collective.easyform form: editors build its questions with
easyform's "Champs" screen (fields, fieldsets shown as the steps, help
texts) and describe the service itself in the edit form (category, who it
concerns, the agents' group that processes it, the processing time). The
supporting documents it asks for are items inside it ("Pièce
justificative"), so that editors add, order and change them in the folder
contents like any Plone content.
"""

from collective.easyform.interfaces import IEasyForm
from illkirch.eservices import _
from illkirch.eservices.content.children import children_providing
from illkirch.eservices.vocabularies.agents_groups import (
    VOCABULARY_NAME as AGENTS_GROUPS,
)
from illkirch.eservices.vocabularies.agents_groups import is_agents_group
from illkirch.eservices.vocabularies.civil_status_acts import ACTS
from illkirch.eservices.vocabularies.document_types import (
    VOCABULARY_NAME as DOCUMENT_TYPES,
)
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from z3c.form import validator
from zope import schema
from zope.interface import implementer
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import re


CONCERNS = SimpleVocabulary(
    [
        SimpleTerm(
            "child", "child", _("concerns_child", default="A child of the household")
        ),
        SimpleTerm(
            "adult", "adult", _("concerns_adult", default="An adult of the household")
        ),
        SimpleTerm(
            "any", "any", _("concerns_any", default="Any member of the household")
        ),
        SimpleTerm(
            "none", "none", _("concerns_none", default="No member in particular")
        ),
    ]
)


ACTION_TYPE = "illkirch.eservices.requests.actions.CreateRequest"
EMPTY_MODEL = """<?xml version="1.0" encoding="utf-8"?>
<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema />
</model>
"""
DEFAULT_ACTIONS = f"""<?xml version="1.0" encoding="utf-8"?>
<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema>
    <field name="creer_demande" type="{ACTION_TYPE}">
      <title>Créer une demande</title>
      <required>True</required>
    </field>
  </schema>
</model>
"""


def default_fields():
    return EMPTY_MODEL


def default_actions():
    return DEFAULT_ACTIONS


class NotAnAgentsGroup(schema.ValidationError):
    """The group is not one of the town's agents' groups."""

    def doc(self):
        return _(
            "error_not_agents_group",
            default="« ${group} » is not one of the town's agents' groups: "
            "choose one of the groups the site's administrators designated "
            "(Site Setup, « Espace citoyen », Agents' groups).",
            mapping={"group": str(self.args[0] if self.args else "")},
        )


def check_agents_group(value):
    """The constraint of ``agents_group``: a designated agents' group only
    (REST, edit forms, the API), refused with a French message."""
    if not is_agents_group(value):
        raise NotAnAgentsGroup(value)
    return True


# Reminders to the citizen of a request left « Incomplète »: days after the
# request for documents, one reminder per step (requests/reminders.py).
DEFAULT_REMINDER_DAYS = "7, 14"
MAX_REMINDERS = 5
MAX_REMINDER_DAYS = 365


def reminder_steps(value):
    """The days of ``value`` (« 7, 14 »), increasing; raise ValueError when
    it is not a list of increasing whole numbers of days, 1 to 365, at most
    ``MAX_REMINDERS`` of them. Blank: no reminder."""
    items = [item.strip() for item in (value or "").replace(";", ",").split(",")]
    if items == [""]:
        return ()
    if len(items) > MAX_REMINDERS or not all(item.isdigit() for item in items):
        raise ValueError(value)
    steps = tuple(int(item) for item in items)
    if any(not 1 <= day <= MAX_REMINDER_DAYS for day in steps) or any(
        later <= earlier for earlier, later in zip(steps, steps[1:], strict=False)
    ):
        raise ValueError(value)
    return steps


class BadReminderDays(schema.ValidationError):
    """The reminders' days are not increasing numbers of days."""

    def doc(self):
        return _(
            "error_reminder_days",
            default="Write the numbers of days after which the citizen is "
            "reminded, increasing and separated by commas, from 1 to 365, at "
            "most ${count} of them (for example « 7, 14 »), or leave the field "
            "empty for no reminder.",
            mapping={"count": MAX_REMINDERS},
        )


def check_reminder_days(value):
    """The constraint of ``reminder_days`` (edit forms, REST, the API)."""
    try:
        reminder_steps(value)
    except ValueError:
        raise BadReminderDays(value) from None
    return True


# The decision letters (official_documents/decisions.py): plain text whose
# ``${name}`` placeholders are filled when a request is accepted or refused.
LETTER_PLACEHOLDERS = (
    "demandeur",
    "numero",
    "demarche",
    "date_depot",
    "date_decision",
    "message",
    "agent",
    "fonction",
    "service",
)
PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def unknown_placeholders(text):
    """The ``${…}`` of ``text`` that are not letter placeholders, in order."""
    found = []
    for name in PLACEHOLDER.findall(text or ""):
        if name not in LETTER_PLACEHOLDERS and name not in found:
            found.append(name)
    return found


class UnknownPlaceholder(schema.ValidationError):
    """The letter uses a placeholder the portal does not fill."""

    def doc(self):
        return _(
            "error_letter_placeholder",
            default="Unknown placeholder: ${names}. The placeholders a letter "
            "may use are: ${known}.",
            mapping={
                "names": ", ".join(f"${{{name}}}" for name in self.args[0]),
                "known": ", ".join(f"${{{name}}}" for name in LETTER_PLACEHOLDERS),
            },
        )


def check_letter(value):
    """The constraint of the decision letters (edit forms, REST, the API)."""
    unknown = unknown_placeholders(value)
    if unknown:
        raise UnknownPlaceholder(unknown)
    return True


LETTER_HELP = _(
    "help_service_letter",
    default="Plain text; an empty line separates two paragraphs. These "
    "placeholders are replaced: ${demandeur} (the requester), ${numero} (the "
    "request's number), ${demarche} (this service), ${date_depot} (the date "
    "of filing), ${date_decision}, ${message} (the agent's message), "
    "${agent}, ${fonction}, ${service} (the agents' service). Empty: the "
    "portal's default letter. A letter already sent never changes.",
)


class IService(IEasyForm):
    """A démarche: an easyform form plus what the portal needs to process
    its requests."""

    # A new service starts with no question and the action that creates
    # the request (easyform's defaults are a contact form and a mailer).
    directives.omitted("fields_model", "actions_model")
    # What the portal does with a request (its actions: mailers, scripts;
    # the group processing it) is the staff's business: not in the JSON of
    # a service for its visitors.
    directives.read_permission(
        actions_model="cmf.ModifyPortalContent", agents_group="cmf.ModifyPortalContent"
    )
    fields_model = schema.Text(title="Fields Model", defaultFactory=default_fields)
    actions_model = schema.Text(title="Actions Model", defaultFactory=default_actions)

    model.fieldset(
        "service",
        label=_("fieldset_service", default="Service"),
        fields=[
            "category",
            "concerns",
            "account_required",
            "civil_status_act",
            "agents_group",
            "processing_days",
            "instructions",
        ],
    )

    category = schema.Choice(
        title=_("label_service_category", default="Category"),
        vocabulary="illkirch.eservices.ServiceCategories",
        required=True,
    )
    concerns = schema.Choice(
        title=_("label_service_concerns", default="Who the request concerns"),
        description=_(
            "help_service_concerns",
            default="The citizen picks this member of their household "
            "in the first step.",
        ),
        vocabulary=CONCERNS,
        default="none",
        required=True,
    )
    account_required = schema.Bool(
        title=_("label_service_account_required", default="An account is required"),
        default=True,
        required=False,
    )
    civil_status_act = schema.Choice(
        title=_("label_service_civil_status_act", default="Civil-status act"),
        description=_(
            "help_service_civil_status_act",
            default="For a request of a civil-status act: the rules of "
            "who may obtain which document apply to its answers, and "
            "the act is sent by post (see the documentation for the "
            "names its questions must have).",
        ),
        vocabulary=ACTS,
        default="",
        required=False,
    )
    agents_group = schema.Choice(
        title=_("label_service_agents_group", default="Agents' group processing it"),
        description=_(
            "help_service_agents_group",
            default="Only the members of this group see and process "
            "the requests of this service.",
        ),
        vocabulary=AGENTS_GROUPS,
        constraint=check_agents_group,
        default="Agents",
        required=True,
    )
    processing_days = schema.Int(
        title=_(
            "label_service_processing_days",
            default="Expected processing time (business days)",
        ),
        min=1,
        max=365,
        default=10,
        required=True,
    )
    instructions = schema.Text(
        title=_("label_service_instructions", default="Before you start"),
        description=_(
            "help_service_instructions",
            default="Shown on the service's page and above the first "
            "step: what to prepare, delays, conditions.",
        ),
        required=False,
    )

    model.fieldset(
        "reminders",
        label=_("fieldset_reminders", default="Reminders"),
        fields=["reminder_days"],
    )
    reminder_days = schema.TextLine(
        title=_(
            "label_service_reminder_days",
            default="Remind the citizen of an incomplete request after (days)",
        ),
        description=_(
            "help_service_reminder_days",
            default="A request left « Incomplete » reminds its citizen once "
            "at each of these numbers of days after the town asked for what "
            "is missing (for example « 7, 14 »: a first reminder after 7 "
            "days, a second after 14); after the last one the request is "
            "flagged in the Guichet. Empty: no reminder.",
        ),
        default=DEFAULT_REMINDER_DAYS,
        constraint=check_reminder_days,
        required=False,
    )

    # Official documents (#18): the decision letters and who signs them.
    model.fieldset(
        "official_documents",
        label=_("fieldset_official_documents", default="Official documents"),
        fields=["acceptance_letter", "refusal_letter", "decision_function"],
    )
    acceptance_letter = schema.Text(
        title=_("label_service_acceptance_letter", default="Acceptance letter"),
        description=LETTER_HELP,
        constraint=check_letter,
        required=False,
    )
    refusal_letter = schema.Text(
        title=_("label_service_refusal_letter", default="Refusal letter"),
        description=LETTER_HELP,
        constraint=check_letter,
        required=False,
    )
    decision_function = schema.TextLine(
        title=_(
            "label_service_decision_function",
            default="Title of the agents who decide",
        ),
        description=_(
            "help_service_decision_function",
            default="Printed under the agent's name on the decisions (for "
            "example « Officier de l'état civil par délégation du maire »). "
            "Empty: « Agent des services municipaux ».",
        ),
        max_length=200,
        required=False,
    )

    # Retention (RGPD, issue #16): how long a closed request is kept.
    model.fieldset(
        "retention",
        label=_("fieldset_retention", default="Retention"),
        fields=["retention_months"],
    )
    retention_months = schema.Int(
        title=_(
            "label_service_retention_months",
            default="Retention period of its requests (months)",
        ),
        description=_(
            "help_service_retention_months",
            default="Months a request of this service is kept once it is "
            "closed or refused; then it is deleted with its documents. "
            "Empty: the portal's default, 12 months (3 months for a "
            "civil-status act). 120 months are 10 years.",
        ),
        min=1,
        max=1200,
        required=False,
    )


class ISupportingDocument(model.Schema):
    """A document a service asks for."""

    required = schema.Bool(
        title=_("label_document_required", default="Required"),
        default=True,
        required=False,
    )
    postable = schema.Bool(
        title=_("label_document_postable", default="May be sent by post"),
        description=_(
            "help_document_postable",
            default="The citizen may send it by post instead of "
            "attaching it, quoting the request number.",
        ),
        default=True,
        required=False,
    )
    # « Dites-le-nous une fois » (#17): a document of this type given with a
    # request is kept in the household's locker and offered again.
    reusable_type = schema.Choice(
        title=_("label_document_reusable_type", default="Reusable document type"),
        description=_(
            "help_document_reusable_type",
            default="When set, the document a citizen gives is kept in their "
            "« Mes documents » and offered again, in one click, to the "
            "services asking for a document of this type while it is valid. "
            "The types and their validity are set in the citizen portal's "
            "settings.",
        ),
        vocabulary=DOCUMENT_TYPES,
        required=False,
    )


class AgentsGroupWidgetValidator(validator.SimpleFieldValidator):
    """The edit form's select drops a group that is not among its options,
    then only says the field is required: name the refused group instead."""

    def validate(self, value, force=False):
        if self.widget is not None:
            raw = self.request.form.get(self.widget.name)
            for token in raw if isinstance(raw, (list, tuple)) else (raw,):
                if token and token != getattr(self.widget, "noValueToken", None):
                    check_agents_group(token)
        return super().validate(value, force)


validator.WidgetValidatorDiscriminators(
    AgentsGroupWidgetValidator, field=IService["agents_group"]
)


@implementer(IService)
class Service(Container):
    """A service of the catalogue (an easyform form holding its documents)."""

    def documents(self):
        return children_providing(self, ISupportingDocument)


@implementer(ISupportingDocument)
class SupportingDocument(Item):
    """A supporting document asked by a service."""
