"""Views of the FAQ and of its questions."""

from Acquisition import aq_inner
from Acquisition import aq_parent
from illkirch.eservices import _
from Products.Five.browser import BrowserView


SUMMARY_ANCHOR = "sommaire"


def question_anchor(question):
    """The anchor of a question in its FAQ page (prefixed: no clash with the
    ids of Plone's own page elements)."""
    return f"question-{question.getId()}"


class FAQView(BrowserView):
    """A summary grouped by category linking to each answer below it."""

    summary_anchor = SUMMARY_ANCHOR
    other_category = _("label_faq_other_questions", default="Other questions")

    def groups(self):
        """``[{"title", "anchor", "questions": [{"id", "title", "answer"}]}]``."""
        result = []
        for index, (category, questions) in enumerate(
            self.context.grouped_questions(), start=1
        ):
            result.append(
                {
                    "title": category or self.other_category,
                    "anchor": f"categorie-{index}",
                    "questions": [
                        {
                            "anchor": question_anchor(question),
                            "title": question.title,
                            "answer": question.answer.output_relative_to(question)
                            if question.answer
                            else "",
                            "url": question.absolute_url(),
                        }
                        for question in questions
                    ],
                }
            )
        return result


class FAQQuestionView(BrowserView):
    """A question alone, with a link to its place in the FAQ."""

    def answer(self):
        answer = self.context.answer
        return answer.output_relative_to(self.context) if answer else ""

    def faq_url(self):
        faq = aq_parent(aq_inner(self.context))
        return f"{faq.absolute_url()}#{question_anchor(self.context)}"
