"""The categories of the services' catalogue (a registry setting)."""

from Acquisition import aq_base
from illkirch.eservices.vocabularies.faq import category_vocabulary
from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory


CATEGORIES_RECORD = "illkirch.eservices.service_categories"


@provider(IVocabularyFactory)
def ServiceCategoriesVocabularyFactory(context):
    categories = list(
        api.portal.get_registry_record(CATEGORIES_RECORD, default=[]) or []
    )
    current = (
        getattr(aq_base(context), "category", None) if context is not None else None
    )
    if isinstance(current, str) and current and current not in categories:
        categories.append(current)
    return category_vocabulary(categories)
