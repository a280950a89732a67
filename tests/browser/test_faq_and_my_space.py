"""Browser tests (Chromium): the FAQ edited by an editor, read by anyone, and
the citizen area, each page checked by axe-core at WCAG 2.1 AA."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.demo import JEROME
from playwright.sync_api import expect

import re


class TestFAQInBrowser(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def add_question_as_editor(self, question, category, answer):
        page = self.page
        self.login(*EDITOR)
        page.goto(f"{self.portal_url}/faq/++add++FAQQuestion")
        page.get_by_label("Question", exact=True).fill(question)
        page.get_by_label("Rubrique", exact=True).select_option(label=category)
        # the answer's rich-text editor (TinyMCE) edits an iframe: wait until
        # TinyMCE has initialised it (on a loaded machine it may take a while),
        # else it would overwrite what was typed with the empty textarea
        page.wait_for_function(
            "() => window.tinymce && tinymce.activeEditor"
            " && tinymce.activeEditor.initialized",
            timeout=30000,
        )
        editor = page.frame_locator(
            "iframe.tox-edit-area__iframe, .tox-edit-area iframe"
        )
        editor.locator("body").click()
        editor.locator("body").fill(answer)
        expect(editor.locator("body")).to_contain_text(answer)
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator(".portalMessage")).to_contain_text("Elément créé")
        # publish it through the state menu
        page.locator("#plone-contentmenu-workflow > a").click()
        page.locator("#workflow-transition-publish").click()
        expect(page.locator("#plone-contentmenu-workflow")).to_contain_text("Publié")
        url = page.url.split("#")[0]
        self.logout()
        return url

    def test_editor_adds_a_question_anonymous_follows_its_anchor(self):
        question = "Puis-je recevoir mes factures par courrier ?"
        url = self.add_question_as_editor(
            question,
            "Factures et paiement en ligne",
            "Oui, sur demande auprès de la régie.",
        )
        question_id = url.rstrip("/").rsplit("/", 1)[1]
        page = self.page
        page.goto(f"{self.portal_url}/faq")
        expect(page.locator("h1")).to_have_text("Questions fréquentes")
        summary = page.locator("nav#sommaire")
        link = summary.get_by_role("link", name=question)
        expect(link).to_have_attribute("href", f"#question-{question_id}")
        link.click()
        expect(page).to_have_url(re.compile(f"#question-{question_id}$"))
        target = page.locator(f"#question-{question_id}")
        expect(target).to_have_text(question)
        expect(target).to_be_in_viewport()
        article = page.locator("article.eservices-faq-question", has=target)
        expect(article).to_contain_text("Oui, sur demande auprès de la régie.")
        # back to the summary from that answer
        article.get_by_role("link", name="Retour au sommaire").click()
        expect(page).to_have_url(re.compile("#sommaire$"))
        self.assert_accessible("FAQ")

    def test_faq_summary_grouped_by_category(self):
        page = self.page
        page.goto(f"{self.portal_url}/faq")
        headings = page.locator("nav#sommaire h3").all_inner_texts()
        self.assertEqual(
            headings,
            [
                "Mon compte",
                "Sécurité et confidentialité",
                "Démarches en ligne",
                "Suivi de mes demandes",
                "Factures et paiement en ligne",
            ],
        )
        self.assertEqual(
            page.locator("nav#sommaire a").count(),
            page.locator("article.eservices-faq-question").count(),
        )

    def test_my_space_for_a_citizen(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@mon-espace")
        expect(page.locator("#__ac_name")).to_be_visible()  # sent to login
        self.login(*AMELIE)
        page.goto(self.portal_url)
        page.locator("#portal-membertools #user-name").click()
        page.get_by_role("link", name="Mon espace").first.click()
        expect(page.locator("h1")).to_have_text("Mon espace")
        tabs = page.get_by_role("navigation", name="Rubriques de mon espace")
        expect(tabs.get_by_role("link")).to_have_text(
            [
                "Accueil",
                "Compte",
                "Services",
                "Demandes",
                "Mes documents",
                "Mes comptes",
            ]
        )
        expect(tabs.locator("[aria-current=page]")).to_have_text("Accueil")
        self.assert_accessible("Mon espace — Accueil")
        for label in ("Compte", "Services", "Demandes", "Mes comptes"):
            tabs.get_by_role("link", name=label, exact=True).click()
            expect(tabs.locator("[aria-current=page]")).to_have_text(label)
            expect(page).to_have_title(re.compile(f"^{label} — "))
            self.assert_accessible(f"Mon espace — {label}")

    def test_home_page_leads_to_the_faq_and_my_space(self):
        page = self.page
        page.goto(self.portal_url)
        self.assert_accessible("page d'accueil")
        page.get_by_role("link", name="Consulter les questions fréquentes").click()
        expect(page).to_have_url(f"{self.portal_url}/faq")
        page.goto(self.portal_url)
        page.get_by_role("link", name="Accéder à mon espace").click()
        expect(page.locator("#__ac_name")).to_be_visible()
        self.login(*JEROME)
        page.goto(self.portal_url)
        page.get_by_role("link", name="Accéder à mon espace").click()
        expect(page.locator("h1")).to_have_text("Mon espace")
