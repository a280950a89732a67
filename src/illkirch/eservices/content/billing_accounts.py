"""Billing account numbers: one household each. The household field
(``content.household.BillingAccountLine``) and the domain
(``accounts.households.check_billing_account``) ask here."""

from illkirch.eservices import _
from plone import api


def households_with_account(account):
    """The households whose billing account number is ``account`` (without
    surrounding spaces, as the invoice import matches it): one look-up in
    the ``household_billing_account`` index."""
    account = (account or "").strip() if isinstance(account, str) else ""
    if not account:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    found = (
        brain._unrestrictedGetObject()
        for brain in catalog.unrestrictedSearchResults(
            household_billing_account=account
        )
        if brain.portal_type == "Household"
    )
    return [
        household
        for household in found
        if (household.billing_account or "").strip() == account
    ]


def billing_account_taken(household, account):
    """The French message refusing ``account`` when another household than
    ``household`` (None: any household) holds it, else None.

    The message names the other household by its identifier in the portal
    (``foyer-…``), which an agent may look up, and shows none of its data."""
    uid = household.UID() if household is not None else None
    for other in households_with_account(account):
        if other.UID() != uid:
            return _(
                "error_billing_account_taken",
                default="The billing account number ${account} is already "
                "the one of household ${household}: a number belongs to "
                "one household only. Check the number, or first remove it "
                "from that household.",
                mapping={"account": account.strip(), "household": other.getId()},
            )
    return None
