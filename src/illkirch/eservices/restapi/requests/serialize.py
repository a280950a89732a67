"""The JSON of services, requests and attachments, for the REST clients."""

from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from plone import api
from plone.restapi.serializer.converters import json_compatible
from zope.i18n import translate


def services_url():
    return f"{api.portal.get().absolute_url()}/@services"


def service_json(service, request, household=None):
    """A service with its steps, questions and documents; ``members``, the
    persons it may concern, when the user has a household."""
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
        "steps": [step_json(step, service, request)
                  for step in forms.steps(service)],
        "documents": [document_json(doc) for doc in service.documents()],
    }
    if household is not None:
        data["members"] = [
            {"id": person.getId(), "name": person.Title()}
            for person in submission.eligible_members(service, household)]
    return json_compatible(data)


def step_json(step, service, request):
    return {
        "id": step.id,
        "title": forms.text(step.label, request),
        "help": forms.text(step.help, request),
        "fields": [forms.describe(name, field, service, request)
                   for name, field in step.fields],
    }


def document_json(doc):
    return {
        "id": doc.getId(),
        "title": doc.Title(),
        "description": doc.Description(),
        "required": bool(doc.required),
        "postable": bool(doc.postable),
    }


def request_summary(request_obj, request, review_state=None, services=None):
    """What a citizen's list shows of a request.

    A list passes what it already knows: ``review_state`` (the catalog's)
    and ``services`` (``services_url()``, the same for every item).
    """
    review_state = review_state or processing.state(request_obj)
    services = services or services_url()
    url = request_obj.absolute_url()
    return {
        "@id": url,
        "@type": request_obj.portal_type,
        "UID": request_obj.UID(),
        "number": request_obj.number,
        "title": request_obj.Title(),
        "review_state": review_state,
        "status": translate(processing.state_title(review_state), context=request),
        "service": {
            "@id": f"{services}/{request_obj.service_uid}",
            "UID": request_obj.service_uid,
            "title": request_obj.service_title,
        },
        "member": {"id": request_obj.member_id, "name": request_obj.member_name}
        if request_obj.member_id else None,
        "by_post": bool(request_obj.by_post),
        "submitted": json_compatible(request_obj.submitted),
        "attachments": {"@id": f"{url}/@attachments"},
    }


def attachments_url(request_obj):
    return f"{request_obj.absolute_url()}/@attachments"


def attachment_json(request_obj, attachment):
    return {
        "@id": f"{attachments_url(request_obj)}/{attachment.id}",
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "document": attachment.document or None,
        "added": attachment.added,
    }


def attachments_json(request_obj):
    items = [attachment_json(request_obj, a) for a in request_obj.attachments]
    return {
        "@id": attachments_url(request_obj),
        "items": items,
        "items_total": len(items),
        "can_add": documents.can_add(request_obj),
    }
