"""Catalog indexers of the conversations (profiles/default/catalog.xml)."""

from illkirch.eservices.content.request import IRequest
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation.unread import HAS_MESSAGES
from plone.indexer import indexer


@indexer(IRequest)
def conversation_summary(obj):
    """Metadata: what the listings need to count unread messages."""
    return store.summary(obj)


@indexer(IRequest)
def conversation_up_to_date(obj):
    """Who has read the whole conversation (KeywordIndex), and
    ``HAS_MESSAGES`` for every request with messages (the query of the
    unread ones needs a key every such request has: conversation/unread.py)."""
    if not store.summary(obj)[store.AGENT]:
        return []
    return [HAS_MESSAGES, *store.up_to_date(obj)]


@indexer(IRequest)
def conversation_size(obj):
    """How many messages the agents see (0: no conversation yet)."""
    return store.summary(obj)[store.AGENT]
