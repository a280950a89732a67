"""The questions of a service, read from its easyform schema.

Editors build a service's form with easyform; the portal shows it as steps,
one per fieldset (the fields outside any fieldset come first), each with the
fieldset's description as its help. ``describe`` gives the portable
description of a question that the wizard renders and ``GET /@services``
returns, so that every client shows the same questions.
"""

from collective.easyform.api import CONTEXT_KEY
from collective.easyform.api import get_schema
from illkirch.eservices import _
from plone.supermodel.interfaces import FIELDSETS_KEY
from zope.annotation.interfaces import IAnnotations
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.schema import getFieldsInOrder
from zope.schema import interfaces as schema_interfaces
from zope.schema.interfaces import IContextSourceBinder
from zope.schema.interfaces import IVocabularyFactory

import threading


DEFAULT_STEP_LABEL = _("step_default", default="Your request")

# easyform types that carry no answer (texts shown between questions).
LABEL_TYPES = ("Label", "RichLabel")


class Step:
    def __init__(self, id, label, help, fields):
        self.id = id
        self.label = label
        self.help = help or ""
        self.fields = fields  # [(name, field)], bound to the service


# Parsed easyform models, per worker thread: {service path: (model, schema)}.
_parsed = threading.local()
# Services whose parsed model a thread keeps (a town has a few dozen).
CACHE_SIZE = 200


def schema_of(service):
    """The service's easyform schema, parsed once per form model.

    easyform parses the XML model on every ``get_schema`` (2 to 3 ms, on
    every request page, wizard step and ``@services`` call). The parsed
    schema is kept by the service's path with the model text it came from:
    an editor's change (easyform stores the new model in ``fields_model``)
    is a different text, so the next call parses it again, in the same
    transaction as on every other connection. The cache is per thread,
    because easyform tags the schema with the service it was read for
    (``CONTEXT_KEY``, for its expressions and validators): each call tags
    it with the caller's service, which no other thread can see meanwhile.
    A service without its own model (easyform's default) is not cached.
    Callers must not change the schema (they bind its fields).
    """
    model = getattr(service, "fields_model", None)
    if not model:
        return get_schema(service)
    cache = getattr(_parsed, "schemas", None)
    if cache is None:
        cache = _parsed.schemas = {}
    key = "/".join(service.getPhysicalPath())
    cached = cache.get(key)
    if cached is not None and cached[0] == model:
        schema = cached[1]
        schema.setTaggedValue(CONTEXT_KEY, service)
        return schema
    schema = get_schema(service)
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = (model, schema)
    return schema


def answer_fields(service):
    """``[(name, field)]`` of the questions that take an answer, in order."""
    return [
        (name, field)
        for step in steps(service)
        for name, field in step.fields
        if not is_label(field)
    ]


STEPS_KEY = "illkirch.eservices.forms.steps"


def steps(service):
    """The service's steps: its fieldsets, in order, without empty ones.

    Kept on the request (#22: the wizard asked for them about ten times a
    step, each binding every field), by the service's path and its model
    text: an edit of the form in the same request is seen at once."""
    request = getRequest()
    kept = IAnnotations(request, None) if request is not None else None
    key = None
    if kept is not None:
        key = (
            "/".join(service.getPhysicalPath()),
            getattr(service, "fields_model", None),
        )
        cache = kept.setdefault(STEPS_KEY, {})
        found = cache.get(key[0])
        if found is not None and found[0] == key[1]:
            return list(found[1])
    result = _steps(service)
    if key is not None:
        cache[key[0]] = (key[1], result)
        return list(result)
    return result


def _steps(service):
    schema = schema_of(service)
    fields = [
        (name, field.bind(service))
        for name, field in getFieldsInOrder(schema)
        if _shown(field)
    ]
    by_name = dict(fields)
    fieldsets = schema.queryTaggedValue(FIELDSETS_KEY, []) or []
    grouped = set()
    result = []
    for fieldset in fieldsets:
        names = [n for n in fieldset.fields if n in by_name]
        grouped.update(names)
        if names:
            result.append(
                Step(
                    fieldset.__name__,
                    fieldset.label,
                    getattr(fieldset, "description", ""),
                    [(n, by_name[n]) for n in names],
                )
            )
    default = [(name, field) for name, field in fields if name not in grouped]
    if default:
        result.insert(0, Step("default", DEFAULT_STEP_LABEL, "", default))
    return result


def _shown(field):
    """Hidden (server-side) easyform fields are not questions, nor the kinds
    of field the portal does not offer citizens (files, images, relations,
    rich text: documents are asked as the service's supporting documents)."""
    if kind(field) == "unsupported":
        return False
    try:
        from collective.easyform.interfaces import IFieldExtender

        extender = IFieldExtender(field)
    except TypeError:
        return True
    return not getattr(extender, "serverSide", False)


def is_label(field):
    return type(field).__name__ in LABEL_TYPES


def kind(field):
    """The widget kind of a field, for the wizard and the REST clients."""
    if is_label(field):
        return "label"
    if schema_interfaces.IChoice.providedBy(field):
        return "choice"
    if schema_interfaces.ICollection.providedBy(
        field
    ) and schema_interfaces.IChoice.providedBy(getattr(field, "value_type", None)):
        return "multichoice"
    if schema_interfaces.IBool.providedBy(field):
        return "boolean"
    if schema_interfaces.IDatetime.providedBy(field):
        return "datetime"
    if schema_interfaces.IDate.providedBy(field):
        return "date"
    if schema_interfaces.IInt.providedBy(field):
        return "integer"
    if schema_interfaces.IFloat.providedBy(
        field
    ) or schema_interfaces.IDecimal.providedBy(field):
        return "decimal"
    if type(field).__name__ == "Email":
        return "email"
    if schema_interfaces.IURI.providedBy(field):
        return "url"
    if schema_interfaces.IText.providedBy(
        field
    ) and not schema_interfaces.ITextLine.providedBy(field):
        return "textarea"
    if schema_interfaces.ITextLine.providedBy(
        field
    ) or schema_interfaces.IASCIILine.providedBy(field):
        return "text"
    return "unsupported"


def vocabulary(field, service):
    """The vocabulary of a choice (or of a multiple choice's items)."""
    if kind(field) == "multichoice":
        field = field.value_type
    vocab = field.vocabulary
    if vocab is None and field.vocabularyName:
        factory = queryUtility(IVocabularyFactory, field.vocabularyName)
        vocab = factory(service) if factory is not None else None
    if IContextSourceBinder.providedBy(vocab):
        vocab = vocab(service)
    return vocab


def choices(field, service):
    vocab = vocabulary(field, service)
    if vocab is None:
        return []
    return [
        {
            "value": term.value,
            "token": term.token,
            "title": term.title or str(term.value),
        }
        for term in vocab
    ]


def text(message, request):
    return translate(message, context=request) if message else ""


def describe(name, field, service, request):
    """A question as a JSON-compatible dict."""
    field_kind = kind(field)
    info = {
        "name": name,
        "title": text(field.title, request),
        "description": text(field.description, request),
        "type": field_kind,
        "required": bool(field.required) and field_kind != "label",
    }
    if field_kind in ("choice", "multichoice"):
        info["choices"] = [
            {"value": c["value"], "title": text(c["title"], request)}
            for c in choices(field, service)
        ]
    if field_kind == "label":
        rich = getattr(field, "rich_label", None)
        info["text"] = getattr(rich, "output", None) or text(field.description, request)
    for attr in ("min_length", "max_length", "min", "max"):
        value = getattr(field, attr, None)
        if value not in (None, 0) or (attr == "min" and value == 0):
            if attr in ("min", "max") and value is not None:
                value = value.isoformat() if hasattr(value, "isoformat") else value
            info[attr] = value
    return info
