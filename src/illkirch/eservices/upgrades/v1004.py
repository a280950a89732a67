"""1003 → 1004: régies and invoices."""

from illkirch.eservices.site_folders import ensure_regies_folder
from plone import api


def create_regies_folder(context):
    ensure_regies_folder(api.portal.get())
