"""The agents' daily digest: one email a business day to each agent who
asked for it (« Mes notifications »), with a part per agents' group of
theirs: the requests filed since their last digest, those the citizen
completed or that were marked complete since then, those late; and, for the
agents who validate accounts, the accounts waiting beyond the delay (2
business days, ``accounts.validation``); and the number of the requests of
their groups with messages they have not read (the conversation's filter
« Messages non lus »: those agents get no immediate email of a new
message, ``conversation/notify.py``). Nothing is sent when there is nothing
to say.

The preference and the time of each agent's last digest are kept on the
site (``site_storage``), by user id. The task ``send_digests`` runs at 7:30
from Monday to Friday and does nothing on the town's public holidays
(Alsace-Moselle: Good Friday, 26 December…, ``business_days``); the next
digest covers everything since the last one.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import time
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import dates
from illkirch.eservices import history
from illkirch.eservices import jobs
from illkirch.eservices import mail
from illkirch.eservices import urls
from illkirch.eservices.accounts import validation
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import queue
from illkirch.eservices.site_storage import site_btree
from illkirch.eservices.vocabularies.agents_groups import agents_groups
from plone import api
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger(__name__)

WANTED_KEY = "illkirch.eservices.digest_wanted"  # user id → True
SENT_KEY = "illkirch.eservices.digest_sent"  # user id → ISO time (UTC)
REVIEW_ACCOUNTS = "illkirch.eservices: Review accounts"
COMPLETED_ACTIONS = ("transition_resubmit", "transition_mark_complete")
# Completed requests are told while they wait for the town.
WAITING = processing.WAITING_STATES
PREFERENCES_VIEW = "@@mes-notifications"
MAX_ITEMS = 30  # requests listed per heading; the Guichet has the others
ACCOUNTS_VIEW = "@@comptes-a-valider"

SUBJECT = _("mail_digest_subject", default="Your digest of ${date}")
INTRO = _(
    "mail_digest_intro",
    default="Hello,\n\nHere is what happened in your groups since ${since}.",
)
GROUP = _("mail_digest_group", default="== ${group} ==")
NEW = _("mail_digest_new", default="New requests (${count}):")
COMPLETED = _("mail_digest_completed", default="Requests completed (${count}):")
LATE = _("mail_digest_late", default="Late requests (${count}):")
ACCOUNTS = _(
    "mail_digest_accounts",
    default="Accounts waiting for validation for more than ${days} business "
    "days (${count}):",
)
ACCOUNTS_LINK = _("mail_digest_accounts_link", default="Validate them at:\n${url}")
ITEM = _("mail_digest_item", default="- ${number}, ${service} (${status}): ${url}")
MORE = _("mail_digest_more", default="… and ${count} more in the Guichet.")
UNREAD = _(
    "mail_digest_unread",
    default="${count} request(s) with messages you have not read:\n${url}",
)
GUICHET_LINK = _("mail_digest_guichet", default="Your Guichet:\n${url}")
FOOTER = _(
    "mail_digest_footer",
    default="You receive this digest because you asked for it. To stop it: ${url}",
)


# the preference -------------------------------------------------------------


def may_receive(user):
    """Whether ``user`` may ask for the digest: the agents (« Guichet »)."""
    return user is not None and queue.may_use_guichet(user)


def wants(userid):
    """Whether the agent asked for the digest."""
    return bool(site_btree(WANTED_KEY).get(userid))


def set_wanted(userid, wanted):
    """Record the agent's choice (``wanted``: a bool)."""
    subscribers = site_btree(WANTED_KEY)
    if wanted:
        if not subscribers.get(userid):
            subscribers[userid] = True
    else:
        if userid in subscribers:
            del subscribers[userid]
        # asked again later: from the previous business day, not from then
        site_btree(SENT_KEY).pop(userid, None)


# what there is to say ---------------------------------------------------------


@dataclass
class GroupPart:
    """A group's part of a digest: requests as ``{number, service, url,
    status}``."""

    group_id: str
    title: str
    new: list = field(default_factory=list)
    completed: list = field(default_factory=list)
    late: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.new or self.completed or self.late)


def agent_groups(user):
    """``[(id, title)]``: the designated agents' groups ``user`` is in."""
    mine = queue.group_ids(user)
    return [(gid, title) for gid, title in agents_groups() if gid in mine]


def _item(obj, review_state=None):
    return {
        "number": obj.number,
        "service": obj.service_title,
        "url": urls.public_url(obj),
        "status": mail._text(
            processing.state_title(review_state or processing.state(obj)), None
        ),
    }


def _requests(**query):
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        portal_type="Request", sort_on="request_number", **query
    )


def group_part(group_id, title, since, now):
    """What happened to the requests of the group's services between
    ``since`` and ``now`` (aware datetimes), and those late today."""
    from DateTime import DateTime

    part = GroupPart(group_id, title)
    uids = [s.UID() for s in queue.all_services() if s.agents_group == group_id]
    if not uids:
        return part
    low, high = DateTime(since), DateTime(now)
    for brain in _requests(
        service_uid=uids, created={"query": (low, high), "range": "min:max"}
    ):
        if low <= brain.created < high:  # the index keeps minutes only
            part.new.append(_item(brain._unrestrictedGetObject(), brain.review_state))
    # completed and still waiting for the town (a transition does not
    # change the catalog's « modified »: the histories tell)
    for brain in _requests(service_uid=uids, review_state=list(WAITING)):
        obj = brain._unrestrictedGetObject()
        if any(
            entry["action"] in COMPLETED_ACTIONS
            and since <= datetime.fromisoformat(entry["time"]) < now
            for entry in history.entries(obj)
        ):
            part.completed.append(_item(obj, brain.review_state))
    today = now.astimezone(business_days.TIMEZONE).date()
    for brain in _requests(
        service_uid=uids,
        review_state=list(processing.WAITING_STATES),
        request_due={
            "query": business_days.last_overdue_deadline(today),
            "range": "max",
        },
    ):
        if processing.overdue(brain.due_date, brain.review_state, today):
            part.late.append(_item(brain._unrestrictedGetObject(), brain.review_state))
    return part


def late_accounts(today):
    """The households waiting for validation beyond the delay, as
    ``{title, since}``, oldest first."""
    return [
        {
            "title": household.Title(),
            "since": dates.format_date(
                validation.created(household).astimezone(business_days.TIMEZONE)
            ),
        }
        for household in validation.pending_households()
        if validation.is_late(household, today)
    ]


def digest_of(user, since, now, cache=None):
    """``(groups, accounts)``: the parts of ``user``'s digest with something
    to say (only their own groups), the accounts late (agents who review
    accounts only). ``cache``: a dict shared by the digests of one run."""
    cache = {} if cache is None else cache
    parts = []
    for group_id, title in agent_groups(user):
        key = (group_id, since)
        if key not in cache:
            cache[key] = group_part(group_id, title, since, now)
        if cache[key]:
            parts.append(cache[key])
    accounts = []
    if api.user.has_permission(REVIEW_ACCOUNTS, user=user, obj=api.portal.get()):
        if "accounts" not in cache:
            today = now.astimezone(business_days.TIMEZONE).date()
            cache["accounts"] = late_accounts(today)
        accounts = cache["accounts"]
    return parts, accounts


def group_services(group_ids, cache=None):
    """The UIDs of the services of the agents' groups ``group_ids``."""
    cache = {} if cache is None else cache
    if "services" not in cache:
        cache["services"] = [(s.agents_group, s.UID()) for s in queue.all_services()]
    return [uid for group_id, uid in cache["services"] if group_id in group_ids]


def unread_requests(user, cache=None):
    """How many requests of ``user``'s groups have messages they have not
    read (the filter « Messages non lus », ``queue.unread_filter``)."""
    unread = queue.unread_filter()
    services = group_services({gid for gid, _title in agent_groups(user)}, cache)
    if unread is None or not services:
        return 0
    catalog = api.portal.get_tool("portal_catalog")
    return len(
        catalog.unrestrictedSearchResults(
            portal_type="Request",
            service_uid=services,
            **unread.criteria(user.getId()),
        )
    )


def _lines(heading, items):
    count = len(items)
    lines = [Message(heading, mapping={"count": count})]
    if count > MAX_ITEMS:
        shown = [_item_line(i) for i in items[:MAX_ITEMS]]
        return [*lines, *shown, Message(MORE, mapping={"count": count - MAX_ITEMS})]
    return lines + [_item_line(i) for i in items]


def _item_line(item):
    return Message(ITEM, mapping=item)


def email_text(parts, accounts, since, now, unread=0):
    """(subject, paragraphs) of a digest (``unread``: the number of requests
    with messages the agent has not read)."""
    day = now.astimezone(business_days.TIMEZONE)
    paragraphs = [
        Message(
            INTRO,
            mapping={
                "since": dates.format_datetime(since, business_days.TIMEZONE),
            },
        )
    ]
    for part in parts:
        paragraphs.append(Message(GROUP, mapping={"group": part.title}))
        for heading, items in (
            (NEW, part.new),
            (COMPLETED, part.completed),
            (LATE, part.late),
        ):
            if items:
                paragraphs.append(_Lines(_lines(heading, items)))
    if unread:
        paragraphs.append(
            Message(
                UNREAD,
                mapping={
                    "count": unread,
                    "url": urls.public_url(suffix="/@@guichet?unread=1"),
                },
            )
        )
    if parts or unread:
        paragraphs.append(
            Message(GUICHET_LINK, mapping={"url": urls.public_url(suffix="/@@guichet")})
        )
    if accounts:
        heading = Message(
            ACCOUNTS,
            mapping={"days": validation.VALIDATION_DELAY_DAYS, "count": len(accounts)},
        )
        lines = [f"- {a['title']} ({a['since']})" for a in accounts]
        paragraphs.append(_Lines([heading, *lines]))
        paragraphs.append(
            Message(
                ACCOUNTS_LINK,
                mapping={"url": urls.public_url(suffix=f"/{ACCOUNTS_VIEW}")},
            )
        )
    paragraphs.append(
        Message(FOOTER, mapping={"url": urls.public_url(suffix=f"/{PREFERENCES_VIEW}")})
    )
    subject = Message(SUBJECT, mapping={"date": dates.format_date(day.date())})
    return subject, paragraphs


class _Lines(list):
    """Lines of a paragraph (messages or texts), joined once translated."""


def _translated(paragraphs):
    result = []
    for paragraph in paragraphs:
        if isinstance(paragraph, _Lines):
            result.append("\n".join(mail._text(line, None) for line in paragraph))
        else:
            result.append(paragraph)
    return result


def send_digest(user, since, now, cache=None):
    """Email ``user`` their digest; False when there was nothing to say (or
    no address)."""
    parts, accounts = digest_of(user, since, now, cache)
    unread = unread_requests(user, cache)
    if not parts and not accounts and not unread:
        return False
    address = user.getProperty("email")
    if not address:
        logger.warning("No email for agent %s: no digest", user.getId())
        return False
    subject, paragraphs = email_text(parts, accounts, since, now, unread)
    mail.send(address, subject, _translated(paragraphs))
    return True


def start_of_previous_business_day(today):
    """Where a first digest starts: the previous business day, 0:00."""
    day = business_days.add_business_days(today, -1)
    return datetime.combine(day, time.min, tzinfo=business_days.TIMEZONE)


@jobs.periodic("agents.digest", hour="7", minute="30", day_of_week="1-5")
def send_digests():
    """Send the day's digest to each agent who asked for it.

    Nothing on a day that is not a business day in the town (weekends and
    the Alsace-Moselle public holidays): the next digest covers it.
    Idempotent: an agent's last digest is kept, and one who had it today
    gets nothing more. Returns the number of digests sent."""
    now = datetime.now(UTC)
    today = now.astimezone(business_days.TIMEZONE).date()
    if not business_days.is_business_day(today):
        logger.info("Not a business day: no digest.")
        return 0
    sent_times = site_btree(SENT_KEY)
    count = 0
    cache = {}
    for userid in list(site_btree(WANTED_KEY).keys()):
        user = api.user.get(userid=userid)
        if not may_receive(user):
            continue
        last = sent_times.get(userid)
        since = (
            datetime.fromisoformat(last)
            if last
            else start_of_previous_business_day(today)
        )
        if since.astimezone(business_days.TIMEZONE).date() >= today:
            continue  # today's digest is done
        if send_digest(user, since, now, cache):
            count += 1
        sent_times[userid] = now.isoformat()
    logger.info("Digests sent: %d.", count)
    return count
