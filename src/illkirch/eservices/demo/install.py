"""Post-handler of the ``illkirch.eservices:demo`` profile."""

from illkirch.eservices.demo.accounts import create_accounts
from illkirch.eservices.demo.billing import create_invoices
from illkirch.eservices.demo.billing import create_regies
from illkirch.eservices.demo.faq import create_faq
from illkirch.eservices.demo.front_page import set_front_page
from illkirch.eservices.demo.households import create_households
from illkirch.eservices.demo.legal_pages import create_legal_pages
from illkirch.eservices.demo.services import create_services
from plone import api


def install_demo(context):
    portal = api.portal.get()
    faq = create_faq(portal)
    set_front_page(portal, faq)
    create_legal_pages(portal)
    create_accounts(portal)
    create_households()
    create_services(portal)
    # The demo régies pay through the local demonstration bank.
    api.portal.set_registry_record("illkirch.eservices.demo_bank", True)
    create_regies(portal)
    create_invoices()
