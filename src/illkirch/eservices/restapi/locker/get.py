"""``/@locker``: the logged-in citizen's document locker, « Mes documents »
(#17).

    GET    /@locker        the household's valid documents
    GET    /@locker/<id>   one document's bytes (a download; 409 with the
                           French reason while the antivirus has not found
                           it clean: « en cours d'analyse » or refused)
    DELETE /@locker/<id>   delete it from the locker (204); the request it
                           was given with keeps its own copy

No route names a household: each works on the current user's, so an id of
another household's locker is not found (404). The rules are in
``reuse/locker.py``.
"""

from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.household_input import NO_HOUSEHOLD
from illkirch.eservices.antivirus import served
from illkirch.eservices.requests import documents
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService
from illkirch.eservices.reuse import locker
from plone.namedfile.utils import stream_data
from zope.i18n import translate


class LockerResource(TraversingService):
    @property
    def base_url(self):
        return f"{self.context.absolute_url()}/@locker"

    def entry(self):
        """The current household's valid entry named by the path, or None."""
        if len(self.params) != 1:
            return None
        return locker.get(households.current_household(), self.params[0])

    def entry_json(self, entry):
        data = locker.entry_info(entry)
        data["@id"] = f"{self.base_url}/{entry.id}"
        label = served.status_label(entry)
        data["scan_label"] = translate(label, context=self.request) if label else None
        return data


class LockerGet(LockerResource):
    def render(self):
        entry = self.entry()
        if entry is None or locker.refusal(entry) is not None:
            return super().render()  # the list, a 404 or a 409 in JSON
        self.check_permission()
        documents.set_download_headers(self.request.response, entry)
        return stream_data(entry.file)

    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        household = households.current_household()
        if household is None:
            return error_answer(self.request, 404, NO_HOUSEHOLD)
        entry = self.entry()
        if entry is not None and locker.refusal(entry) is not None:
            # « en cours d'analyse » or refused by the antivirus (#21)
            return error_answer(self.request, 409, locker.refusal(entry), "Conflict")
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        items = [self.entry_json(entry) for entry in locker.entries(household)]
        return {"@id": self.base_url, "items": items, "items_total": len(items)}
