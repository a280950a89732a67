"""The FAQ: a container of questions, each with a rich-text answer and a category.

The FAQ holds the ordered list of its categories; a question picks one of them.
Questions keep the order editors give them in the folder contents.
"""

from illkirch.eservices import _
from plone.app.textfield import RichText
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import Invalid
from zope.interface import implementer
from zope.interface import invariant


class IFAQ(model.Schema):
    """A FAQ page."""

    categories = schema.List(
        title=_("label_faq_categories", default="Categories"),
        description=_(
            "help_faq_categories",
            default="One category per line, in the order of the summary.",
        ),
        value_type=schema.TextLine(),
        required=True,
        default=[],
    )

    @invariant
    def categories_are_unique(data):
        categories = [c.strip() for c in (data.categories or [])]
        if any(not c for c in categories):
            raise Invalid(
                _("error_faq_category_empty", default="A category cannot be empty.")
            )
        if len(set(categories)) != len(categories):
            raise Invalid(
                _(
                    "error_faq_category_twice",
                    default="Each category must appear only once.",
                )
            )


class IFAQQuestion(model.Schema):
    """A question of the FAQ and its answer."""

    title = schema.TextLine(
        title=_("label_faq_question", default="Question"),
        required=True,
        max_length=300,
    )

    category = schema.Choice(
        title=_("label_faq_category", default="Category"),
        description=_(
            "help_faq_category",
            default="The categories are those of the FAQ that holds the question.",
        ),
        vocabulary="illkirch.eservices.FAQCategories",
        required=True,
    )

    answer = RichText(
        title=_("label_faq_answer", default="Answer"),
        required=True,
    )


@implementer(IFAQ)
class FAQ(Container):
    """A FAQ page holding questions."""

    def grouped_questions(self):
        """Return ``[(category, [question, …]), …]`` in summary order.

        Categories follow the FAQ's list; questions keep the folder order.
        Categories without questions are left out; questions whose category
        was removed from the list come last, under ``None``.
        """
        groups = {category: [] for category in self.categories or []}
        orphans = []
        for question in self.contentValues():
            if not IFAQQuestion.providedBy(question):
                continue
            groups.get(question.category, orphans).append(question)
        result = [(category, items) for category, items in groups.items() if items]
        if orphans:
            result.append((None, orphans))
        return result


@implementer(IFAQQuestion)
class FAQQuestion(Item):
    """A question and its answer."""

    def Description(self):
        return ""
