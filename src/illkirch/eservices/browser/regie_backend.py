"""« Moyen de paiement » of a régie (Finance role): the eopayment backend
and its options, the form generated from the backend's own description
(``billing/regies.py``); secrets are never shown back."""

from illkirch.eservices import _
from illkirch.eservices.billing import regies
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

import transaction


class RegieBackendForm(BrowserView):
    index = ViewPageTemplateFile("templates/regie_backend.pt")
    page_title = _("heading_regie_backend", default="Payment backend")

    def __call__(self):
        self.errors = {}
        self.kind = self.request.form.get("backend") or self.context.backend or "dummy"
        if self.request.method == "POST" and self.request.form.get("save"):
            CheckAuthenticator(self.request)
            try:
                regies.set_backend(self.context, self.kind, self.request.form)
            except regies.BackendError as error:
                transaction.doom()
                self.errors = error.errors
            else:
                api.portal.show_message(
                    translate(
                        _(
                            "message_backend_saved",
                            default="The payment backend is saved.",
                        ),
                        context=self.request,
                    ),
                    request=self.request,
                )
                self.request.response.redirect(
                    f"{self.context.absolute_url()}/@@moyen-de-paiement"
                )
                return ""
        return self.index()

    def backends(self):
        return [
            {"value": kind, "title": caption, "selected": kind == self.kind}
            for kind, caption in regies.backends()
        ]

    def backend_error(self):
        """The error about the backend chosen (not offered), translated."""
        try:
            regies.parameters(self.kind)
        except regies.BackendError as error:
            self.errors.update(error.errors)
        error = self.errors.get("backend")
        return translate(error, context=self.request) if error else None

    def fields(self):
        try:
            params = regies.parameters(self.kind)
        except regies.BackendError as error:
            self.errors.update(error.errors)
            return []
        stored = (
            self.context.backend_options if self.context.backend == self.kind else {}
        )
        stored = stored or {}
        result = []
        for param in params:
            value = (
                "" if param["secret"] else stored.get(param["name"], param["default"])
            )
            error = self.errors.get(param["name"])
            result.append(
                dict(
                    param,
                    id=f"backend-{param['name']}",
                    value="" if value is None else value,
                    is_set=bool(stored.get(param["name"])),
                    error=translate(error, context=self.request) if error else None,
                )
            )
        return result
