"""1004 → 1005: the households' billing account index (invoice import)."""

from plone import api


def index_billing_accounts(context):
    """Fill the new index from the households alone: the other objects of
    the catalog have no billing account and are not read again."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Household"):
        catalog.catalog_object(
            brain._unrestrictedGetObject(),
            brain.getPath(),
            idxs=["household_billing_account"],
            update_metadata=False,
        )
