"""The conversations' catalog indexes are the domain's own: no query built
from a user's input may use them.

``conversation_up_to_date`` (who read everything, and ``HAS_MESSAGES``) and
``conversation_size`` (the messages the agents see, internal notes
included) tell what a citizen must never learn: whether internal notes
exist and which agents read the conversation. The catalog filters the
results by who may view them, not by which indexes were asked: a citizen
asking for ``conversation_size=1`` on her own requests, or sorting them on
it (ZCatalog drops the documents missing from a sort index), would read
those facts from which requests come back, and in what order.

So every entry point passing a user's criteria to ``portal_catalog``
drops the criteria and the sorting on these indexes, for everyone (agents
have the Guichet's filter « Messages non lus »): plone.restapi's ``@search``
(``restapi/requests/private_indexes.py``), Plone's ``@@search`` and
``@@ajax-search`` (``browser/search.py``), plone.app.querystring
(``@querystring-search``, collections, listings: the parsed query's
modifiers below), and ``@@getVocabulary``'s catalog queries
(``browser/search.py``). The domain's own queries
(``conversation.unread.criteria``: the Guichet, ``GET /@requests``) call
the catalog directly and keep them. docs/security.md.
"""

from illkirch.eservices.content import public_text
from plone.app.querystring.interfaces import IParsedQueryIndexModifier
from zope.interface import implementer


PRIVATE_INDEXES = frozenset(
    {"conversation_up_to_date", "conversation_size", "conversation_summary"}
)
SORT_KEYS = ("sort_on", "sort_order")


def _names(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def is_private(name):
    return isinstance(name, str) and name in PRIVATE_INDEXES


def sorts_privately(sort_on):
    """Whether ``sort_on`` (a name or a list of names) sorts on a private
    index."""
    return any(is_private(name) for name in _names(sort_on))


def public_query(query):
    """``query`` (a dict of catalog criteria from a user's input) without
    the criteria on the private indexes, nor a sorting on them (then no
    sorting order either), and, for an anonymous visitor, its text
    criterion on ``public_text`` (``content/public_text.py``). Changed in
    place and returned."""
    if not isinstance(query, dict):
        return query
    for name in PRIVATE_INDEXES:
        query.pop(name, None)
    if sorts_privately(query.get("sort_on")):
        for key in SORT_KEYS:
            query.pop(key, None)
    # an anonymous visitor's text search: the public side's words only
    return public_text.for_visitor(query)


# plone.app.querystring: the parsed query's modifiers -----------------------------

# The name a private criterion is moved to: no index has it, so that
# plone.app.querystring ignores it (no valid index: no result) and the
# catalog too.
DROPPED = "illkirch_eservices_dropped_criterion"


@implementer(IParsedQueryIndexModifier)
class DropCriterion:
    """A criterion on a private index (registered under each of their
    names) goes nowhere."""

    def __call__(self, value):
        return DROPPED, None


@implementer(IParsedQueryIndexModifier)
class DropSorting:
    """``sort_on`` (the modifier registered under that name): never on a
    private index."""

    def __call__(self, value):
        return "sort_on", (None if sorts_privately(value) else value)
