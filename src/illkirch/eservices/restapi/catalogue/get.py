"""``GET /@services``: the services (démarches) open online.

    GET /@services                  the published services
    GET /@services/<id or UID>      one of them (editors also reach a draft)

Public: anonymous visitors read the catalogue too. For a logged-in citizen,
each service also lists ``members``, the persons of the household it may
concern (``submission.eligible_members``).
"""

from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.catalog_stamp import committed_stamp
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.plain_json import plain
from illkirch.eservices.restapi.traversal import TraversingService
from zope.i18n.interfaces import IUserPreferredLanguages
from zope.schema.interfaces import IContextSourceBinder


# #22: each service's JSON without ``members`` (the part that is the same for
# every user), shared by the worker threads: {key: (model, data)}.
_SERVICES = {}
_SERVICES_KEPT = 200


def service_json(service, request, household=None, persons=None, shared=False):
    """A service with its steps, questions and documents; ``members``, the
    persons it may concern, when the user has a household (``persons``:
    the household's, read once for a listing; ``shared``: the request's
    part of the key, ``shared_key(request)``, read once for a listing).

    The user-independent part is kept (#22: building it was more than half
    of ``GET /@services``), by the service's path and URL, the languages
    the request prefers (the titles are translated), the service's committed
    serial and the catalog's counter with its committed serial (a change of
    the service or of one of its documents is reindexed), and compared with
    the service's easyform model (an edit of its form). Not kept: a
    service changed (or the catalog changed) by the running transaction,
    and a service with a question whose choices come from a named
    vocabulary or a source (they may change without the service)."""
    model = getattr(service, "fields_model", None) or ""
    if shared is False:
        shared = shared_key(request)
    key = _key(service, shared)
    cached = _SERVICES.get(key) if key is not None else None
    if cached is not None and cached[0] == model:
        data = dict(cached[1])
    else:
        data, static = _service_data(service, request)
        if key is not None and static:
            if len(_SERVICES) >= _SERVICES_KEPT:
                _SERVICES.clear()
            _SERVICES[key] = (model, data)
        data = dict(data)
    if household is not None:
        data["members"] = [
            {"id": person.getId(), "name": person.Title()}
            for person in submission.eligible_members(service, household, persons)
        ]
    return data


def shared_key(request):
    """The part of the kept JSON's key that is the same for every service
    (``None`` when nothing may be kept: the catalog changed in the running
    transaction, which may be aborted and another reach the same counter)."""
    stamp = committed_stamp()
    if stamp is None:
        return None
    languages = IUserPreferredLanguages(request, None)
    return (
        services_url(),
        tuple(languages.getPreferredLanguages()) if languages is not None else (),
        *stamp,
    )


def _key(service, shared):
    """The key of the service's kept JSON, ``None`` when it may not be kept."""
    if shared is None or getattr(service, "_p_jar", None) is None:
        return None
    service._p_activate()  # a ghost's serial is not yet its own
    if service._p_changed:
        return None
    return (
        service.getPhysicalPath(),
        service.absolute_url(),
        service._p_serial,
        *shared,
    )


def _service_data(service, request):
    """``(data, static)``: the service's JSON without ``members``, and whether
    it may be kept (no question with choices from a vocabulary's name or a
    source)."""
    steps = forms.steps(service)
    static = all(
        _static_choices(field) for step in steps for _name, field in step.fields
    )

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
        "steps": [step_json(step, service, request) for step in steps],
        "documents": [document_json(doc) for doc in service.documents()],
    }
    return plain(data), static


def _static_choices(field):
    """Whether the field's choices (if any) are the model's own."""
    kind = forms.kind(field)
    if kind not in ("choice", "multichoice"):
        return True
    if kind == "multichoice":
        field = field.value_type
    return field.vocabularyName is None and not IContextSourceBinder.providedBy(
        field.vocabulary
    )


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
            shared = shared_key(self.request)
            items = [
                service_json(service, self.request, household, persons, shared)
                for service in submission.services()
            ]
            return {"@id": services_url(), "items": items, "items_total": len(items)}
        service = None
        if len(self.params) == 1:
            service = submission.find_service(self.params[0])
        if service is None:
            return error_answer(self.request, 404, NOT_FOUND)
        return service_json(service, self.request, household)
