"""Catalog indexers of the conversations (profiles/default/catalog.xml)."""

from illkirch.eservices.content.request import IRequest
from illkirch.eservices.conversation import store
from plone.indexer import indexer


@indexer(IRequest)
def conversation_summary(obj):
    """Metadata: what the listings need to count unread messages."""
    return store.summary(obj)


@indexer(IRequest)
def conversation_up_to_date(obj):
    """Who has read the whole conversation (KeywordIndex)."""
    return store.up_to_date(obj)


@indexer(IRequest)
def conversation_size(obj):
    """How many messages the agents see (0: no conversation yet)."""
    return store.summary(obj)[store.AGENT]
