"""``PATCH /@drafts/<id>``: change a draft; only the keys given (the
answers given are merged into the kept ones), ``documents`` added to the
kept ones. The wizard's autosave sends the current step's answers."""

from illkirch.eservices.drafts import store
from illkirch.eservices.restapi.drafts.resource import DraftsResource
from illkirch.eservices.restapi.drafts.resource import draft_json
from illkirch.eservices.restapi.uploads import read_documents
from plone.restapi.deserializer import json_body


class DraftsPatch(DraftsResource):
    def answer(self):
        draft = self.draft()
        if draft is None or len(self.params) != 1:
            return self.not_found()
        data = json_body(self.request)
        files, errors = read_documents(data.get("documents"))
        if errors:
            return self.refused(errors)
        try:
            store.update(self.household, draft, data, files)
        except store.DraftRefused as refused:
            return self.refused(refused.errors)
        return draft_json(draft)
