"""The catalog metadata of the official documents that no summary shows
(``@search``'s ``metadata_fields``)."""

from plone.restapi.interfaces import IJSONSummarySerializerMetadata
from zope.interface import implementer


@implementer(IJSONSummarySerializerMetadata)
class HiddenMetadata:
    """``issued_documents`` (kind, id and size of each document) is the
    listings' own: ``@search`` never shows it, not even with
    ``metadata_fields=_all``; ``<obj>/@documents`` lists the documents of
    one request or payment, with its rule of who may."""

    def blocklisted_attributes(self):
        return {"issued_documents"}
