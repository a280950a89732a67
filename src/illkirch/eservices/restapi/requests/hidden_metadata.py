"""The catalog metadata no summary shows (``@search``'s
``metadata_fields``)."""

from plone.restapi.interfaces import IJSONSummarySerializerMetadata
from zope.interface import implementer


@implementer(IJSONSummarySerializerMetadata)
class HiddenMetadata:
    """``conversation_summary`` (how many messages each side sees and who
    read how many) is the listings' own: ``@search`` never shows it, not
    even with ``metadata_fields=_all`` (it would tell a citizen that
    internal notes exist, and which agents read their conversation).
    ``GET /@requests`` gives each user their own ``unread_messages``."""

    def blocklisted_attributes(self):
        return {"conversation_summary"}
