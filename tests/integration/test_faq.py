"""The FAQ content types, their vocabulary and their views."""

from plone import api
from plone.app.textfield.value import RichTextValue
from zope.component import getUtility
from zope.interface import Invalid
from zope.schema.interfaces import IVocabularyFactory

import pytest


def add_question(faq, title, category, answer="<p>Réponse.</p>", **kw):
    return api.content.create(
        container=faq,
        type="FAQQuestion",
        title=title,
        category=category,
        answer=RichTextValue(answer, "text/html", "text/x-html-safe"),
        **kw,
    )


@pytest.fixture
def faq(portal):
    return api.content.create(
        container=portal,
        type="FAQ",
        id="faq",
        title="Questions",
        categories=["Compte", "Paiement"],
    )


@pytest.mark.portal(roles=["Manager"])
class TestFAQContent:
    def test_only_questions_inside_a_faq(self, portal, faq):
        with pytest.raises(api.exc.InvalidParameterError):
            api.content.create(container=faq, type="Document", title="x")
        with pytest.raises(api.exc.InvalidParameterError):
            api.content.create(
                container=portal,
                type="FAQQuestion",
                title="Hors FAQ ?",
                category="Compte",
            )

    def test_questions_grouped_in_category_then_folder_order(self, faq):
        q1 = add_question(faq, "Payer ?", "Paiement")
        q2 = add_question(faq, "Créer ?", "Compte")
        q3 = add_question(faq, "Modifier ?", "Compte")
        faq.moveObjectsToTop([q3.getId()])
        groups = faq.grouped_questions()
        assert [(c, [q.getId() for q in qs]) for c, qs in groups] == [
            ("Compte", [q3.getId(), q2.getId()]),
            ("Paiement", [q1.getId()]),
        ]

    def test_question_of_a_removed_category_comes_last(self, faq):
        add_question(faq, "Payer ?", "Paiement")
        orphan = add_question(faq, "Créer ?", "Compte")
        faq.categories = ["Paiement"]
        groups = faq.grouped_questions()
        assert groups[-1][0] is None
        assert groups[-1][1] == [orphan]

    def test_categories_vocabulary_follows_the_faq(self, faq):
        factory = getUtility(IVocabularyFactory, "illkirch.eservices.FAQCategories")
        vocabulary = factory(faq)
        assert [t.value for t in vocabulary] == ["Compte", "Paiement"]
        assert [t.token for t in vocabulary] == ["compte", "paiement"]
        question = add_question(faq, "Q ?", "Compte")
        faq.categories = ["Paiement"]
        # the stored category stays valid while editing the question
        assert [t.value for t in factory(question)] == ["Paiement", "Compte"]

    def test_categories_must_be_unique_and_not_empty(self):
        from illkirch.eservices.content.faq import IFAQ

        class Data:
            categories = ["A", "A"]

        with pytest.raises(Invalid):
            IFAQ.validateInvariants(Data())
        Data.categories = ["A", " "]
        with pytest.raises(Invalid):
            IFAQ.validateInvariants(Data())
        Data.categories = ["A", "B"]
        IFAQ.validateInvariants(Data())

    def test_view_summary_links_to_anchors(self, faq):
        question = add_question(
            faq,
            "Comment créer un compte ?",
            "Compte",
            "<p>Cliquez sur <strong>Créer</strong>.</p>",
        )
        html = faq.restrictedTraverse("@@view")()
        anchor = f"question-{question.getId()}"
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
        assert 'id="sommaire"' in html
        assert 'href="#sommaire"' in html
        assert "Retour au sommaire" in html
        assert "<strong>Créer</strong>" in html
        # empty categories are not shown
        assert ">Paiement<" not in html

    def test_answer_html_is_filtered(self, faq):
        question = add_question(
            faq,
            'Q <script>alert("t")</script> ?',
            "Compte",
            '<p>ok</p><script>alert("x")</script><p onclick="alert(1)">b</p>',
        )
        html = faq.restrictedTraverse("@@view")()
        anchor = f"question-{question.getId()}"
        title = 'Q &lt;script&gt;alert("t")&lt;/script&gt; ?'
        # the question is listed and shown, its title escaped as text
        assert f'<a href="#{anchor}">{title}</a>' in html
        assert f'<h3 id="{anchor}">{title}</h3>' in html
        # the answer keeps its paragraphs, loses the script and the handler
        assert '<div class="eservices-faq-answer"><p>ok</p><p>b</p></div>' in html
        assert 'alert("x")' not in html
        assert "alert(1)" not in html

    def test_empty_faq(self, faq):
        html = faq.restrictedTraverse("@@view")()
        assert "Aucune question n'a encore été publiée." in html

    def test_question_view_links_back_to_its_anchor(self, faq):
        question = add_question(faq, "Q ?", "Compte")
        html = question.restrictedTraverse("@@view")()
        assert f"{faq.absolute_url()}#question-{question.getId()}" in html
        assert "Voir toutes les questions" in html
