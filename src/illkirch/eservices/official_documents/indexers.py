"""Catalog indexers of the issued documents (profiles/default/catalog.xml)."""

from illkirch.eservices.content.billing import IPayment
from illkirch.eservices.content.request import IRequest
from illkirch.eservices.official_documents import access
from plone.indexer import indexer


@indexer(IRequest)
def request_issued_documents(obj):
    """Metadata: the request's documents for the listings (« Demandes »)."""
    return access.summary(obj)


@indexer(IPayment)
def payment_issued_documents(obj):
    """Metadata: the payment's documents."""
    return access.summary(obj)
