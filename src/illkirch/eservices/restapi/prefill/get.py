"""``<service>/@prefill``: a service's answers prefilled from the household
(« Dites-le-nous une fois », #17), and its editors' mapping.

    GET   <service>/@prefill[?member=<id>]  {"answers": {name: value}} for the
                                            logged-in citizen's household (401
                                            anonymous; {} without household)
    GET   <service>/@prefill/mapping        the mapping (its editors)
    PATCH <service>/@prefill/mapping        {"mapping": {name: source or ""}}

The rules are in ``reuse/prefill.py``.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService
from illkirch.eservices.reuse import prefill
from illkirch.eservices.roles import may
from plone import api
from zope.i18n import translate


EDITORS_ONLY = _(
    "error_prefill_editors",
    default="Only the editors of this service may see and change its prefilling.",
)


class PrefillResource(TraversingService):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        if self.params == ["mapping"]:
            if api.user.is_anonymous():
                return error_answer(self.request, 401, EDITORS_ONLY)
            if not may("Modify portal content", self.context):
                return error_answer(self.request, 403, EDITORS_ONLY)
            return self.handle_mapping()
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        return self.handle_answers()

    def handle_answers(self):
        return error_answer(self.request, 404, NOT_FOUND)

    def handle_mapping(self):
        return error_answer(self.request, 404, NOT_FOUND)

    def mapping_json(self):
        current = prefill.mapping(self.context)
        return {
            "@id": f"{self.context.absolute_url()}/@prefill/mapping",
            "mapping": current,
            "questions": [
                {
                    "name": name,
                    "title": forms.text(field.title, self.request),
                    "type": forms.kind(field),
                    "source": current.get(name, ""),
                    "sources": [
                        source.id for source in prefill.sources_for(self.context, field)
                    ],
                }
                for name, field in prefill.prefillable_questions(self.context)
            ],
            "sources": [
                {
                    "id": source.id,
                    "title": translate(source.title, context=self.request),
                    "kind": source.kind,
                    "member": source.member,
                }
                for source in prefill.SOURCES.values()
            ],
        }


class PrefillGet(PrefillResource):
    def handle_answers(self):
        if api.user.is_anonymous():
            return error_answer(self.request, 401, submission.LOGIN_REQUIRED)
        household = households.current_household()
        member_id = self.request.form.get("member")
        member = None
        if member_id:
            member = next(
                (
                    person
                    for person in submission.eligible_members(self.context, household)
                    if person.getId() == member_id
                ),
                None,
            )
            if member is None:
                return error_answer(self.request, 404, submission.MEMBER_UNKNOWN)
        return {
            "@id": f"{self.context.absolute_url()}/@prefill",
            "answers": prefill.values(self.context, household, member),
        }

    def handle_mapping(self):
        return self.mapping_json()
