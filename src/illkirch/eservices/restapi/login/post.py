"""``POST /@login`` accepting the identifier without accents or the email
address, and saying in French when an identifier is blocked."""

from illkirch.eservices.accounts.login import LOCKED_MESSAGE
from illkirch.eservices.accounts.login import resolve_login
from illkirch.eservices.accounts.pas import is_locked_request
from illkirch.eservices.restapi.errors import error_answer
from plone import api
from plone.restapi.services.auth.login import Login as PloneLogin


class Login(PloneLogin):
    def _find_userfolder(self, userid):
        pas = api.portal.get_tool("acl_users")
        return super()._find_userfolder(resolve_login(pas, userid) or userid)

    def reply(self):
        result = super().reply()
        if self.request.response.getStatus() == 401:
            # The typed name may be unknown: authenticate anyway, so that
            # failures count and answers never tell whether it exists.
            if not is_locked_request(self.request):
                self._count_unknown_login()
            if is_locked_request(self.request):
                return error_answer(
                    self.request, 401, LOCKED_MESSAGE, "Invalid credentials"
                )
        return result

    def _count_unknown_login(self):
        from plone.restapi.deserializer import json_body

        data = json_body(self.request)
        pas = api.portal.get_tool("acl_users")
        if resolve_login(pas, data.get("login")) is None:
            pas.authenticate(data.get("login"), data.get("password"), self.request)
