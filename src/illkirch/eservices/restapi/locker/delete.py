"""``DELETE /@locker/<id>`` (``get.py`` lists the routes)."""

from illkirch.eservices.accounts import households
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.locker.get import LockerResource
from illkirch.eservices.reuse import locker


class LockerDelete(LockerResource):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        entry = self.entry()
        if entry is None:
            return error_answer(self.request, 404, NOT_FOUND)
        locker.delete(households.current_household(), entry.id)
        return self.reply_no_content()
