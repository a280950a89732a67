"""Post-handler of the ``illkirch.eservices:demo`` profile."""

from illkirch.eservices.demo.accounts import create_accounts
from illkirch.eservices.demo.faq import create_faq
from plone import api


def install_demo(context):
    portal = api.portal.get()
    create_faq(portal)
    create_accounts(portal)
