"""The site's compliance with the RGAA (« non conforme », « partiellement
conforme », « totalement conforme »), stated in the footer (town.py)."""

from illkirch.eservices import town
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


@provider(IVocabularyFactory)
def AccessibilityComplianceVocabularyFactory(context):
    return SimpleVocabulary(
        [
            SimpleTerm(value=value, token=value, title=title)
            for value, title in town.COMPLIANCE.items()
        ]
    )
