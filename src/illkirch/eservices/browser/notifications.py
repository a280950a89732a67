"""« Mes notifications » (``@@mes-notifications``): an agent's choice of
the daily digest of their groups (requests.digest). A GET shows the form, a
POST (plone.protect's token) records the choice and comes back
(POST/redirect/GET)."""

from illkirch.eservices import _
from illkirch.eservices.requests import digest
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate


VIEW_NAME = "mes-notifications"
SAVED = _("message_notifications_saved", default="Your choice is saved.")


class NotificationsView(BrowserView):
    index = ViewPageTemplateFile("templates/notifications.pt")
    page_title = _("title_notifications", default="My notifications")

    def __call__(self):
        self.user = api.user.get_current()
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            digest.set_wanted(self.user.getId(), bool(self.request.form.get("digest")))
            api.portal.show_message(
                translate(SAVED, context=self.request), request=self.request
            )
            self.request.response.redirect(self.url())
            return ""
        return self.index()

    def url(self):
        return f"{self.context.absolute_url()}/@@{VIEW_NAME}"

    def wanted(self):
        return digest.wants(self.user.getId())

    def groups(self):
        return [title for _gid, title in digest.agent_groups(self.user)]

    def email(self):
        return self.user.getProperty("email") or ""
