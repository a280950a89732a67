"""The JSON of a request's open ask of corrections (``@corrections``)."""

from illkirch.eservices.corrections import asks
from illkirch.eservices.requests import answers as answer_rules
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from zope.i18n import translate


def corrections_url(request_obj):
    return f"{request_obj.absolute_url()}/@corrections"


def corrections_json(request_obj, request):
    """``{"@id", "open", "status", "status_title", "message", "asked_at",
    "fields": [{"name", "label", "type", "required", "value", "display"}],
    "documents": [{"id", "title", "files": [{"id", "filename"}]}]}``;
    ``asked_by`` for the agents only."""
    review_state = processing.state(request_obj)
    result = {
        "@id": corrections_url(request_obj),
        "open": False,
        "status": review_state,
        "status_title": translate(
            processing.state_title(review_state), context=request
        ),
        "message": None,
        "asked_at": None,
        "fields": [],
        "documents": [],
    }
    ask = asks.open_ask(request_obj)
    if ask is None:
        return result
    stored = {a["name"]: a for a in request_obj.answers}
    raw = answer_rules.raw_of(request_obj.answers)
    questions = dict(asks.questions(request_obj))
    fields = []
    for name in ask["fields"]:
        field = questions.get(name)
        answer = stored.get(name) or {}
        fields.append(
            {
                "name": name,
                "label": forms.text(field.title, request) if field else name,
                "type": forms.kind(field) if field else None,
                "required": bool(field.required) if field else False,
                "value": raw.get(name),
                "display": answer.get("display", ""),
            }
        )
    titles = dict(asks.service_documents(request_obj))
    documents = [
        {
            "id": doc_id,
            "title": titles[doc_id].Title() if doc_id in titles else doc_id,
            "files": [
                {"id": a.id, "filename": a.filename}
                for a in request_obj.attachments
                if a.document == doc_id
            ],
        }
        for doc_id in ask["documents"]
    ]
    result.update(
        {
            "open": review_state == "incomplete",
            "message": ask["message"],
            "asked_at": ask["time"],
            "fields": fields,
            "documents": documents,
        }
    )
    if asks.may_ask(request_obj):
        result["asked_by"] = ask["actor"]
    return result
