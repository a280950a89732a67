"""Unread messages, per person, from the catalog only: the badges of « Mon
espace » (Accueil, Demandes), of the Guichet's rows and ``unread_messages``
in ``GET /@requests`` count them on the brains' metadata
(``conversation_summary``, ``store.summary``), never waking a request up;
the filter « Messages non lus » (Guichet, ``GET /@requests?unread=1``) is a
catalog query.

Who counts what (``store``): a citizen counts the messages their household
sees (the agents' internal notes never) that they have not read; an agent
counts every message of the request (the citizen's, and the internal notes
and replies of the other agents) that they have not read themselves.
Reading is per person: an agent's reading marks nothing read for another
agent of the group. One's own messages are read.

The query of the requests with messages an agent has not read is
``conversation_size >= 1`` and ``conversation_up_to_date`` without the
agent. ZCatalog's KeywordIndex answers a lone ``{"not": user id}`` only
among the requests indexed under some keyword when the user id is none of
its keys (an agent up to date on nothing yet: ``UnIndex.query_index`` then
unions every other key), which leaves out the requests nobody is up to date
on. So every request with messages is indexed under ``HAS_MESSAGES`` too
(``indexers.conversation_up_to_date``) and the query asks for it: ``{"query":
HAS_MESSAGES, "not": user id}``, one set minus another, right whatever the
other criteria and whoever asks (tests/integration/test_unread.py).
"""

from illkirch.eservices.accounts import households
from illkirch.eservices.conversation import store
from illkirch.eservices.requests.queue import IUnreadFilter
from zope.interface import implementer


# The keyword of every request with messages in ``conversation_up_to_date``
# (no user id starts with a space).
HAS_MESSAGES = " has messages"


def count(brain, user_id, side):
    """The messages of ``brain``'s request that ``user_id`` (of ``side``:
    ``store.CITIZEN`` or ``store.AGENT``) has not read; 0 for the requests
    indexed before the conversations (no metadata: Missing.Value)."""
    summary = getattr(brain, "conversation_summary", None)
    if not isinstance(summary, dict) or not user_id:
        return 0
    return store.unread_count(summary, user_id, side)


def household_total(household, user_id):
    """The messages of the household's requests its citizen ``user_id`` has
    not read (its own catalog entries only)."""
    if household is None:
        return 0
    return sum(
        count(brain, user_id, store.CITIZEN)
        for brain in households.own_brains(household, "Request")
    )


def criteria(user_id):
    """The catalog criteria of the requests with messages the agent
    ``user_id`` has not read (to add to the Guichet's restricted query)."""
    return {
        "conversation_size": {"query": 1, "range": "min"},
        "conversation_up_to_date": {"query": HAS_MESSAGES, "not": user_id},
    }


@implementer(IUnreadFilter)
class UnreadFilter:
    """The filter « Messages non lus » of ``requests.queue`` (a utility)."""

    def criteria(self, user_id):
        return criteria(user_id)

    def keeps(self, brain, user_id):
        return count(brain, user_id, store.CITIZEN) > 0
