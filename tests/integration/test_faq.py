"""The FAQ content types, their vocabulary and their views."""

from illkirch.eservices.testing import INTEGRATION_TESTING
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.app.textfield.value import RichTextValue
from zope.component import getUtility
from zope.interface import Invalid
from zope.schema.interfaces import IVocabularyFactory

import unittest


def add_question(faq, title, category, answer="<p>Réponse.</p>", **kw):
    return api.content.create(
        container=faq, type="FAQQuestion", title=title, category=category,
        answer=RichTextValue(answer, "text/html", "text/x-html-safe"), **kw,
    )


class TestFAQContent(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.faq = api.content.create(
            container=self.portal, type="FAQ", id="faq", title="Questions",
            categories=["Compte", "Paiement"],
        )

    def test_only_questions_inside_a_faq(self):
        with self.assertRaises(api.exc.InvalidParameterError):
            api.content.create(container=self.faq, type="Document", title="x")
        with self.assertRaises(api.exc.InvalidParameterError):
            api.content.create(container=self.portal, type="FAQQuestion",
                               title="Hors FAQ ?", category="Compte")

    def test_questions_grouped_in_category_then_folder_order(self):
        q1 = add_question(self.faq, "Payer ?", "Paiement")
        q2 = add_question(self.faq, "Créer ?", "Compte")
        q3 = add_question(self.faq, "Modifier ?", "Compte")
        self.faq.moveObjectsToTop([q3.getId()])
        groups = self.faq.grouped_questions()
        self.assertEqual(
            [(c, [q.getId() for q in qs]) for c, qs in groups],
            [("Compte", [q3.getId(), q2.getId()]), ("Paiement", [q1.getId()])],
        )

    def test_question_of_a_removed_category_comes_last(self):
        add_question(self.faq, "Payer ?", "Paiement")
        orphan = add_question(self.faq, "Créer ?", "Compte")
        self.faq.categories = ["Paiement"]
        groups = self.faq.grouped_questions()
        self.assertEqual(groups[-1][0], None)
        self.assertEqual(groups[-1][1], [orphan])

    def test_categories_vocabulary_follows_the_faq(self):
        factory = getUtility(IVocabularyFactory, "illkirch.eservices.FAQCategories")
        vocabulary = factory(self.faq)
        self.assertEqual([t.value for t in vocabulary], ["Compte", "Paiement"])
        self.assertEqual([t.token for t in vocabulary], ["compte", "paiement"])
        question = add_question(self.faq, "Q ?", "Compte")
        self.faq.categories = ["Paiement"]
        # the stored category stays valid while editing the question
        self.assertEqual([t.value for t in factory(question)],
                         ["Paiement", "Compte"])

    def test_categories_must_be_unique_and_not_empty(self):
        from illkirch.eservices.content.faq import IFAQ

        class Data:
            categories = ["A", "A"]

        with self.assertRaises(Invalid):
            IFAQ.validateInvariants(Data())
        Data.categories = ["A", " "]
        with self.assertRaises(Invalid):
            IFAQ.validateInvariants(Data())
        Data.categories = ["A", "B"]
        IFAQ.validateInvariants(Data())

    def test_view_summary_links_to_anchors(self):
        question = add_question(self.faq, "Comment créer un compte ?", "Compte",
                                "<p>Cliquez sur <strong>Créer</strong>.</p>")
        html = self.faq.restrictedTraverse("@@view")()
        anchor = f"question-{question.getId()}"
        self.assertIn(f'href="#{anchor}"', html)
        self.assertIn(f'id="{anchor}"', html)
        self.assertIn('id="sommaire"', html)
        self.assertIn('href="#sommaire"', html)
        self.assertIn("Retour au sommaire", html)
        self.assertIn("<strong>Créer</strong>", html)
        # empty categories are not shown
        self.assertNotIn(">Paiement<", html)

    def test_answer_html_is_filtered(self):
        question = add_question(self.faq, 'Q <script>alert("t")</script> ?', "Compte",
                                '<p>ok</p><script>alert("x")</script>'
                                '<p onclick="alert(1)">b</p>')
        html = self.faq.restrictedTraverse("@@view")()
        anchor = f"question-{question.getId()}"
        title = 'Q &lt;script&gt;alert("t")&lt;/script&gt; ?'
        # the question is listed and shown, its title escaped as text
        self.assertIn(f'<a href="#{anchor}">{title}</a>', html)
        self.assertIn(f'<h3 id="{anchor}">{title}</h3>', html)
        # the answer keeps its paragraphs, loses the script and the handler
        self.assertIn('<div class="eservices-faq-answer"><p>ok</p><p>b</p></div>',
                      html)
        self.assertNotIn('alert("x")', html)
        self.assertNotIn("alert(1)", html)

    def test_empty_faq(self):
        html = self.faq.restrictedTraverse("@@view")()
        self.assertIn("Aucune question n'a encore été publiée.", html)

    def test_question_view_links_back_to_its_anchor(self):
        question = add_question(self.faq, "Q ?", "Compte")
        html = question.restrictedTraverse("@@view")()
        self.assertIn(f"{self.faq.absolute_url()}#question-{question.getId()}", html)
        self.assertIn("Voir toutes les questions", html)
