"""1002 → 1003: the agents' queue (« Guichet ») and account-less requests."""

from illkirch.eservices import business_days
from illkirch.eservices.requests import documents
from illkirch.eservices.site_folders import ensure_requests_folder
from plone import api


def create_requests_folder(context):
    ensure_requests_folder(api.portal.get())


def reindex_requests(context):
    """Give the requests already filed their due date (submission date plus
    their service's processing time), then fill the new indexes."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Request"):
        request_obj = brain._unrestrictedGetObject()
        if request_obj.due_date is None and request_obj.submitted is not None:
            service = documents.service_of(request_obj)
            days = getattr(service, "processing_days", None) or 0
            request_obj.due_date = business_days.add_business_days(
                request_obj.submitted, days
            )
        request_obj.reindexObject()
