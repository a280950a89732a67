"""``GET /@drafts`` (the household's drafts) and ``GET /@drafts/<id>``."""

from illkirch.eservices.drafts import store
from illkirch.eservices.restapi.drafts.resource import DraftsResource
from illkirch.eservices.restapi.drafts.resource import draft_json
from illkirch.eservices.restapi.drafts.resource import drafts_url


class DraftsGet(DraftsResource):
    def answer(self):
        if not self.params:
            items = [draft_json(d) for d in store.drafts_of(self.household)]
            return {"@id": drafts_url(), "items": items, "items_total": len(items)}
        draft = self.draft()
        if draft is None or len(self.params) != 1:
            return self.not_found()
        return draft_json(draft)
