"""Closing an account (right to erasure): the citizen asks, an agent closes.

Closing (the ``close`` transition, agents only) anonymises the household:
its members are deleted, its address and telephones emptied, the details of
its change history removed, and the citizen's user account deleted. What the
law requires the town to keep (requests, invoices: see docs/privacy.md) stays,
attached to the anonymised household. The other domains drop what they keep
of the household on ``AccountClosed`` (billing: the basket).
"""

from datetime import UTC
from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices import history
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.accounts.households import HOUSEHOLD_FIELDS
from illkirch.eservices.content.household import IPerson
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.interface import implementer
from zope.interface.interfaces import IObjectEvent
from zope.interface.interfaces import ObjectEvent


CLOSURE_KEY = "illkirch.eservices.closure_requested"


class IAccountClosed(IObjectEvent):
    """The account of a household was closed: its personal data are being
    deleted (``object``: the household)."""


@implementer(IAccountClosed)
class AccountClosed(ObjectEvent):
    """Fired by ``anonymise``, with the rights of the site."""


def closure_requested(household):
    """``{"time", "by"}`` when the holder asked for the closure, else None."""
    return IAnnotations(household).get(CLOSURE_KEY)


def request_closure(household, request=None):
    """The account holder asks for the closure; the town is told."""
    user = api.user.get_current()
    if user.getId() != household.holder_id:
        raise api.exc.InvalidParameterError("Only the account holder may ask.")
    if closure_requested(household):
        return False
    IAnnotations(household)[CLOSURE_KEY] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "by": user.getId(),
    }
    history.record(household, "closure_requested")
    mail.send(
        user.getProperty("email"),
        _("mail_closure_subject", default="Your request to close your account"),
        _(
            "mail_closure_body",
            default="Hello,\n\nWe have received your request to close your "
            "account ${login}. An agent of the town will close it shortly: your "
            "personal data will then be deleted, except what the law requires "
            "the town to keep. An email will confirm the closure.",
            mapping={"login": user.getUserName()},
        ),
        request,
    )
    town = api.portal.get_registry_record(
        "illkirch.eservices.contact_email", default=None
    )
    if town:
        mail.send(
            town,
            _("mail_closure_town_subject", default="Account closure requested"),
            _(
                "mail_closure_town_body",
                default="The holder of the account ${login} asks for its "
                "closure: ${url}",
                mapping={
                    "login": user.getUserName(),
                    "url": urls.public_url(household),
                },
            ),
            request,
        )
    return True


def anonymise(household):
    """Delete the personal data of a household (after its ``close``)."""
    holder_id = household.holder_id
    user = api.user.get(userid=holder_id) if holder_id else None
    email = user.getProperty("email") if user is not None else None
    login = user.getUserName() if user is not None else ""
    with api.env.adopt_roles(["Manager"]):
        for person in [o for o in household.contentValues() if IPerson.providedBy(o)]:
            api.content.delete(obj=person, check_linkintegrity=False)
        for name in (*HOUSEHOLD_FIELDS, "billing_account"):
            setattr(household, name, None)
        household.title = "Foyer clôturé"
        household.holder_id = None
        history.erase_texts(household)
        if holder_id:
            household.manage_delLocalRoles([holder_id])
        IAnnotations(household).pop(CLOSURE_KEY, None)
        notify(AccountClosed(household))
        household.reindexObject()
        household.reindexObjectSecurity()
        if user is not None:
            api.user.delete(user=user)
    history.record(household, "account_closed")
    if email:
        mail.send(
            email,
            _("mail_closed_subject", default="Your account is closed"),
            _(
                "mail_closed_body",
                default="Hello,\n\nYour account ${login} on the citizen portal "
                "is closed and your personal data have been deleted, except "
                "what the law requires the town to keep.",
                mapping={"login": login},
            ),
        )


def after_transition(household, event):
    """Subscriber: anonymise when the ``close`` transition was fired."""
    if event.transition is not None and event.transition.id == "close":
        anonymise(household)
