"""The categories a FAQ question may take: those of its FAQ."""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from illkirch.eservices.content.faq import IFAQ
from plone.i18n.normalizer import idnormalizer
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def _find_faq(context):
    """The FAQ of a question, or the FAQ itself (add form context)."""
    obj = aq_inner(context)
    while obj is not None:
        if IFAQ.providedBy(obj):
            return obj
        obj = aq_parent(obj)
    return None


@provider(IVocabularyFactory)
def FAQCategoriesVocabularyFactory(context):
    faq = _find_faq(context)
    categories = list(faq.categories or []) if faq is not None else []
    # Keep the stored value selectable when its category was removed from the
    # FAQ's list, so that editing the question does not fail on it.
    current = getattr(aq_base(context), "category", None)
    if isinstance(current, str) and current and current not in categories:
        categories.append(current)
    return category_vocabulary(categories)


def category_vocabulary(categories):
    """Terms whose values and titles are the category names, with unique
    ASCII tokens."""
    terms = []
    tokens = set()
    for category in categories:
        token = base = idnormalizer.normalize(category) or "category"
        suffix = 1
        while token in tokens:
            suffix += 1
            token = f"{base}-{suffix}"
        tokens.add(token)
        terms.append(SimpleTerm(value=category, token=token, title=category))
    return SimpleVocabulary(terms)
