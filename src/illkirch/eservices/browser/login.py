"""Plone's login form, telling when an identifier is blocked."""

from illkirch.eservices.accounts.login import LOCKED_MESSAGE
from illkirch.eservices.accounts.pas import is_locked_request
from Products.CMFPlone.browser.login.login import LoginForm as PloneLoginForm
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form import button


class LoginForm(PloneLoginForm):
    @button.buttonAndHandler(PloneLoginForm.buttons["login"].title, name="login")
    def handleLogin(self, action):
        super().handleLogin.func(self, action)
        if is_locked_request(self.request):
            messages = IStatusMessage(self.request)
            messages.show()  # drop Plone's generic "Login failed"
            messages.add(LOCKED_MESSAGE, "error")
