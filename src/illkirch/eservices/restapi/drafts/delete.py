"""``DELETE /@drafts/<id>`` (204) and ``DELETE /@drafts/<id>/documents/<file>``
(a kept document removed: the draft)."""

from illkirch.eservices.drafts import store
from illkirch.eservices.restapi.drafts.resource import DraftsResource
from illkirch.eservices.restapi.drafts.resource import draft_json


class DraftsDelete(DraftsResource):
    def answer(self):
        draft = self.draft()
        if draft is None:
            return self.not_found()
        if len(self.params) == 3 and self.params[1] == "documents":
            if draft.file(self.params[2]) is None:
                return self.not_found()
            store.remove_file(draft, self.params[2])
            return draft_json(draft)
        if len(self.params) != 1:
            return self.not_found()
        store.delete(self.household, draft)
        return self.reply_no_content()
