"""Views of the FAQ and of its questions."""

from Acquisition import aq_inner
from Acquisition import aq_parent
from illkirch.eservices import _
from illkirch.eservices.catalog_stamp import committed_stamp
from Products.Five.browser import BrowserView


SUMMARY_ANCHOR = "sommaire"
# The FAQ's groups as last rendered, by (FAQ's path, its URL, the catalog's
# counter): plain strings and dicts, shared by the worker threads.
_GROUPS = {}
_GROUPS_KEPT = 16


def question_anchor(question):
    """The anchor of a question in its FAQ page (prefixed: no clash with the
    ids of Plone's own page elements)."""
    return f"question-{question.getId()}"


class FAQView(BrowserView):
    """A summary grouped by category linking to each answer below it."""

    summary_anchor = SUMMARY_ANCHOR
    other_category = _("label_faq_other_questions", default="Other questions")

    def groups(self):
        """``[{"title", "anchor", "questions": [{"id", "title", "answer"}]}]``.

        Kept until the catalog changes (#22): the answers' HTML went through
        portal_transforms for each question on each view, a third of the
        page's own time. Every change of the site's content (a question
        added, edited, moved or removed, the FAQ's categories, an image an
        answer shows) is reindexed, which moves the catalog's counter —
        the same check plone.app.textfield makes before reusing a
        transformed text; the counter's committed serial is part of the key,
        so an aborted change is never taken for a committed one."""
        stamp = committed_stamp()
        if stamp is None:
            # changed by this transaction, not committed: not kept (the
            # transaction may be aborted, another then reach the same value)
            return self._groups()
        key = (
            self.context.getPhysicalPath(),
            self.context.absolute_url(),
            *stamp,
        )
        groups = _GROUPS.get(key)
        if groups is None:
            if len(_GROUPS) >= _GROUPS_KEPT:
                _GROUPS.clear()
            groups = _GROUPS[key] = self._groups()
        return groups

    def _groups(self):
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
