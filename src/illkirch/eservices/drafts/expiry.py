"""Drafts expire: ``draft_expiry_days`` (30 by default) after their last
save they are deleted with their documents; ``draft_reminder_days`` (7)
before that, their citizen gets one reminder email with the link to resume
(``urls.public_url``). The daily task ``drafts.expire`` does both;
idempotent: a reminder is sent once per period (kept on the draft, a new
save starts a new period), an expired draft is gone."""

from datetime import timedelta
from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices import jobs
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.business_days import TIMEZONE
from illkirch.eservices.drafts import store
from illkirch.eservices.site_storage import site_btree
from plone import api
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger(__name__)

SUBJECT = _(
    "mail_draft_reminder_subject",
    default="Your request “${service}” being filled in will be deleted on ${date}",
)
BODY = _(
    "mail_draft_reminder_body",
    default="Hello,\n\nYou started a request “${service}” on the town's "
    "portal and last saved it on ${saved}. It has not been sent: without a "
    "change, this draft and the documents you chose will be deleted on "
    "${date}.\n\nResume and send your request at:\n${url}",
)


def resume_url(draft, service=None):
    """The public link that opens the form at the draft's step."""
    service = service if service is not None else store.service_of(draft)
    if service is None:
        return urls.public_url(None, "/@@mon-espace")
    return urls.public_url(service, f"/@@deposer?brouillon={draft.id}")


def email_text(draft, service=None):
    local = store.expires(draft).astimezone(TIMEZONE)
    mapping = {
        "service": draft.service_title,
        "saved": dates.format_date(draft.modified.astimezone(TIMEZONE).date()),
        "date": dates.format_date(local.date()),
        "url": resume_url(draft, service),
    }
    return Message(SUBJECT, mapping=mapping), Message(BODY, mapping=mapping)


def _household(uid):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid):
        return brain._unrestrictedGetObject()
    return None


def remind(draft, moment):
    """Send the draft's reminder when its day has come (once); True if sent."""
    days = store.reminder_days()
    if not days or draft.reminded is not None:
        return False
    if moment < store.expires(draft) - timedelta(days=days):
        return False
    address = mail.user_email(draft.owner)
    if not address:
        logger.warning("No email for a draft's owner: not reminded")
        return False
    subject, body = email_text(draft)
    mail.send(address, subject, body)
    draft.reminded = moment
    return True


def run(moment=None):
    """Delete the expired drafts, remind those whose day has come; return
    ``{"expired": n, "reminded": n}``."""
    moment = moment or store.now()
    index = site_btree(store.INDEX_KEY)
    counts = {"expired": 0, "reminded": 0}
    for draft_id, household_uid in list(index.items()):
        household = _household(household_uid)
        draft = store.get(household, draft_id)
        if draft is None:
            del index[draft_id]  # its household is gone
            continue
        if moment >= store.expires(draft):
            store.delete(household, draft)
            counts["expired"] += 1
        elif remind(draft, moment):
            counts["reminded"] += 1
    logger.info("Drafts: %(expired)d expired, %(reminded)d reminded.", counts)
    return counts


@jobs.periodic("drafts.expire", hour="7", minute="30")
def daily():
    """The daily task (idempotent, see the module)."""
    return run()
