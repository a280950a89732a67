"""``/@drafts``: the logged-in citizen's drafts of requests (``drafts.store``).

    GET    /@drafts                          the household's drafts
    POST   /@drafts                          {"service", "answers", "member",
                                              "by_post", "step", "documents"} → 201
    GET    /@drafts/<id>                     one draft
    PATCH  /@drafts/<id>                     the keys given (answers merged),
                                              "documents" added
    DELETE /@drafts/<id>                     204
    DELETE /@drafts/<id>/documents/<file>    removes a kept document
    POST   /@drafts/<id>/submit              files it (POST /@requests' checks) → 201

Only the current user's own household is read: anyone else (another
household, an agent, a manager without household) finds nothing (404);
anonymous visitors are refused by the permission (401).
"""

from illkirch.eservices.antivirus import served
from illkirch.eservices.drafts import store
from illkirch.eservices.drafts.expiry import resume_url
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.traversal import TraversingService
from plone import api
from plone.restapi.serializer.converters import json_compatible

import transaction


def drafts_url():
    return f"{api.portal.get().absolute_url()}/@drafts"


def draft_json(draft):
    service = store.service_of(draft)
    return json_compatible(
        {
            "@id": f"{drafts_url()}/{draft.id}",
            "id": draft.id,
            "service": {
                "@id": f"{services_url()}/{draft.service_uid}",
                "UID": draft.service_uid,
                "title": draft.service_title,
            },
            "answers": dict(draft.answers),
            "member": draft.member or None,
            "requester": dict(draft.requester),
            "by_post": bool(draft.by_post),
            "step": draft.step or None,
            "documents": [
                {
                    "id": kept.id,
                    "document": kept.document,
                    "filename": kept.filename,
                    "content_type": kept.content_type,
                    "size": kept.size,
                    # the antivirus (#21): "pending", "clean", "refused" or null
                    "scan": served.scan_state(kept),
                    "available": served.refusal(kept) is None,
                }
                for kept in draft.files
            ],
            "created": draft.created.isoformat(timespec="seconds"),
            "modified": draft.modified.isoformat(timespec="seconds"),
            "expires": store.expires(draft).isoformat(timespec="seconds"),
            "resume": resume_url(draft, service),
        }
    )


class DraftsResource(TraversingService):
    """What the methods of ``@drafts`` share: the household, the draft,
    the refusals."""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        self.household = store.current_household()
        if self.household is None:
            return self.not_found()
        return self.answer()

    def draft(self):
        return store.get(self.household, self.params[0]) if self.params else None

    def not_found(self):
        transaction.doom()
        return error_answer(self.request, 404, store.NOT_FOUND)

    def refused(self, errors):
        transaction.doom()  # nothing of a refused write is kept
        return field_errors(self.request, errors)
