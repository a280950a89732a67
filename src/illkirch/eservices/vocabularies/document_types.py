"""The reusable document types (a registry setting, #17): a supporting
document marked with one is kept in the household's document locker."""

from Acquisition import aq_base
from illkirch.eservices.interfaces import BadDocumentTypes
from illkirch.eservices.interfaces import parse_document_types
from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


RECORD = "illkirch.eservices.document_types"
VOCABULARY_NAME = "illkirch.eservices.DocumentTypes"


def document_types():
    """``{identifier: {"id", "title", "months"}}`` in the registry's order
    (nothing when the record is missing or wrong)."""
    lines = api.portal.get_registry_record(RECORD, default=None) or []
    try:
        parsed = parse_document_types(lines)
    except BadDocumentTypes:
        return {}
    return {
        type_id: {"id": type_id, "title": title, "months": months}
        for type_id, title, months in parsed
    }


@provider(IVocabularyFactory)
def DocumentTypesVocabularyFactory(context):
    types = document_types()
    terms = [
        SimpleTerm(value=info["id"], token=info["id"], title=info["title"])
        for info in types.values()
    ]
    # a document keeps a type the editors removed since (its edit form works)
    current = (
        getattr(aq_base(context), "reusable_type", None)
        if context is not None
        else None
    )
    if isinstance(current, str) and current and current not in types:
        terms.append(SimpleTerm(value=current, token=current, title=current))
    return SimpleVocabulary(terms)
