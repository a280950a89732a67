"""The citizen area "Mon espace": one page per tab.

Each tab is a view on the site root sharing one layout (the tab bar). The
tabs are empty shells for now; the accounts, requests and billing features
fill them.
"""

from illkirch.eservices import _
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class CitizenAreaTab(BrowserView):
    """Base of the tabs of "Mon espace"."""

    # (view name, label) in display order
    TABS = (
        ("mon-espace", _("tab_home", default="Home")),
        ("mon-espace-compte", _("tab_account", default="Account")),
        ("mon-espace-services", _("tab_services", default="Services")),
        ("mon-espace-demandes", _("tab_requests", default="Requests")),
        ("mon-espace-factures", _("tab_invoices", default="My accounts")),
    )

    index = ViewPageTemplateFile("templates/citizen_area_tab.pt")
    tab_name = ""
    empty_message = ""

    def __call__(self):
        return self.index()

    @property
    def page_title(self):
        return dict(self.TABS)[self.tab_name]

    def tabs(self):
        root_url = api.portal.get_navigation_root(self.context).absolute_url()
        return [
            {
                "url": f"{root_url}/@@{name}",
                "label": label,
                "current": name == self.tab_name,
            }
            for name, label in self.TABS
        ]

    def fullname(self):
        member = api.user.get_current()
        return member.getProperty("fullname") or member.getUserName()


class HomeTab(CitizenAreaTab):
    tab_name = "mon-espace"
    empty_message = _(
        "empty_home",
        default="You have no request in progress. Your requests and their status "
        "will be listed here.",
    )


class AccountTab(CitizenAreaTab):
    tab_name = "mon-espace-compte"
    empty_message = _(
        "empty_account",
        default="The details of your account and of your household will be shown "
        "here.",
    )


class ServicesTab(CitizenAreaTab):
    tab_name = "mon-espace-services"
    empty_message = _(
        "empty_services",
        default="No online service is open yet.",
    )


class RequestsTab(CitizenAreaTab):
    tab_name = "mon-espace-demandes"
    empty_message = _(
        "empty_requests",
        default="You have not filed any request yet.",
    )


class InvoicesTab(CitizenAreaTab):
    tab_name = "mon-espace-factures"
    empty_message = _(
        "empty_invoices",
        default="You have no invoice to pay and no payment to show.",
    )
