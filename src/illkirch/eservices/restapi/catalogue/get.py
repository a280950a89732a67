"""``GET /@services``: the services (démarches) open online.

    GET /@services                  the published services
    GET /@services/<id or UID>      one of them (editors also reach a draft)

Public: anonymous visitors read the catalogue too. For a logged-in citizen,
each service also lists ``members``, the persons of the household it may
concern (``submission.eligible_members``).
"""

from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.plain_json import plain
from illkirch.eservices.restapi.traversal import TraversingService


def service_json(service, request, household=None, persons=None):
    """A service with its steps, questions and documents; ``members``, the
    persons it may concern, when the user has a household (``persons``:
    the household's, read once for a listing)."""
    data = {
        "@id": f"{services_url()}/{service.getId()}",
        "@type": service.portal_type,
        "UID": service.UID(),
        "id": service.getId(),
        "url": service.absolute_url(),
        "title": service.Title(),
        "description": service.Description(),
        "category": service.category,
        "concerns": service.concerns,
        "account_required": bool(service.account_required),
        "civil_status_act": service.civil_status_act or "",
        "processing_days": service.processing_days,
        "instructions": service.instructions or "",
        "steps": [step_json(step, service, request) for step in forms.steps(service)],
        "documents": [document_json(doc) for doc in service.documents()],
    }
    if household is not None:
        data["members"] = [
            {"id": person.getId(), "name": person.Title()}
            for person in submission.eligible_members(service, household, persons)
        ]
    return plain(data)


def step_json(step, service, request):
    return {
        "id": step.id,
        "title": forms.text(step.label, request),
        "help": forms.text(step.help, request),
        "fields": [
            forms.describe(name, field, service, request) for name, field in step.fields
        ],
    }


def document_json(doc):
    return {
        "id": doc.getId(),
        "title": doc.Title(),
        "description": doc.Description(),
        "required": bool(doc.required),
        "postable": bool(doc.postable),
        # #17: a document of this type may come from the citizen's locker
        "reusable_type": getattr(doc, "reusable_type", None) or None,
    }


class ServicesGet(TraversingService):
    def reply(self):
        household = current_household()
        if not self.params:
            # the household's persons read once; services() keeps the open
            # services only
            persons = household.persons() if household is not None else None
            items = [
                service_json(service, self.request, household, persons)
                for service in submission.services()
            ]
            return {"@id": services_url(), "items": items, "items_total": len(items)}
        service = None
        if len(self.params) == 1:
            service = submission.find_service(self.params[0])
        if service is None:
            return error_answer(self.request, 404, NOT_FOUND)
        return service_json(service, self.request, household)
