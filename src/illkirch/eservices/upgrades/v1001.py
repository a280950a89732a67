"""1000 → 1001: citizen accounts and households."""

from illkirch.eservices.setuphandlers import ensure_households_folder
from plone import api


def create_households_folder(context):
    ensure_households_folder(api.portal.get())
