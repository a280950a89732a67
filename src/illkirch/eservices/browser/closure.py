"""« Fermer mon compte »: the holder asks the town to close the account."""

from illkirch.eservices import _
from illkirch.eservices.accounts import closure
from illkirch.eservices.accounts.households import current_household
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class CloseAccount(BrowserView):
    index = ViewPageTemplateFile("templates/close_account.pt")
    page_title = _("heading_close_account", default="Close my account")

    def __call__(self):
        self.household = current_household()
        if self.request.method == "POST" and self.household is not None:
            CheckAuthenticator(self.request)
            closure.request_closure(self.household, self.request)
            api.portal.show_message(
                _(
                    "closure_requested_done",
                    default="Your request is recorded: the town will close your "
                    "account and confirm it by email.",
                ),
                self.request,
            )
            root = api.portal.get_navigation_root(self.context).absolute_url()
            self.request.response.redirect(f"{root}/@@mon-espace-compte")
            return ""
        return self.index()

    def already_requested(self):
        return self.household is not None and bool(
            closure.closure_requested(self.household)
        )
