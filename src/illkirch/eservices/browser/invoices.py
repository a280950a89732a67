"""« Mes comptes »: the household's invoices (to pay, and the statement of
paid ones) and an invoice's printable page. The rules are in
``billing/invoices.py``."""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.billing import invoices
from illkirch.eservices.browser.citizen_area import CitizenAreaTab
from illkirch.eservices.browser.official_documents import PaymentCertificatesMixin
from illkirch.eservices.dates import format_date
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class InvoicesTab(PaymentCertificatesMixin, CitizenAreaTab):
    """« Mes comptes »."""

    tab_name = "mon-espace-factures"
    index = ViewPageTemplateFile("templates/invoices_tab.pt")
    empty_message = _(
        "empty_invoices", default="You have no invoice to pay and no payment to show."
    )
    not_validated = invoices.NOT_VALIDATED

    def __call__(self):
        self.household = households.current_household()
        return self.index()

    def visible(self):
        return invoices.may_see_invoices(self.household)

    def rows(self, review_state):
        titles = invoices.regie_titles()
        result = []
        for invoice in invoices.household_invoices(self.household, review_state):
            info = invoices.invoice_info(invoice, titles)
            info["issue"] = format_date(info["issue_date"])
            info["due"] = format_date(info["due_date"])
            info["paid"] = format_date(info["paid_on"])
            result.append(info)
        return result

    def basket_count(self):
        from illkirch.eservices.billing import basket

        return len(basket.items(self.household))

    def window(self):
        return format_date(invoices.window_start())


class InvoiceView(BrowserView):
    """An invoice's detail, printable."""

    index = ViewPageTemplateFile("templates/invoice_view.pt")

    def __call__(self):
        self.info = invoices.invoice_info(self.context)
        return self.index()

    def dates(self):
        return {
            key: format_date(self.info[key])
            for key in ("issue_date", "due_date", "paid_on")
        }

    def state_title(self):
        return invoices.STATE_TITLES.get(self.info["state"], self.info["state"])
