"""The one form pattern of the citizen forms in Chromium (issue 15, item 7):
titles with the step and « Erreur : », a linked error summary focused after a
failed submit, the skip link, a focus indicator of 3:1 at least, the rules
checked at their step, the full summary, « Nouveau code » and the inline
audio of the captcha; axe at 1280 and 320 px."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AMELIE
from playwright.sync_api import expect

import re


# The contrast of a focused element's indicator against what surrounds it:
# its opaque outline (2 px at least) and opaque box-shadow colours, against
# the first opaque background of its ancestors (WCAG relative luminance).
COLOURS = """
  function parse(text) {
    const m = /rgba?\\(([^)]+)\\)/.exec(text || "");
    if (!m) { return null; }
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  }
  function luminance(c) {
    const f = v => {
      v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function ratio(a, b) {
    const x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  let background = {r: 255, g: 255, b: 255, a: 1};
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c && c.a > 0) { background = c; break; }
  }
  const style = getComputedStyle(el);
"""
FOCUS_CONTRAST = (
    "el => {"
    + COLOURS
    + """
  const rings = [];
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) {
    rings.push(parse(style.outlineColor));
  }
  for (const m of (style.boxShadow || "").matchAll(/rgba?\\([^)]+\\)/g)) {
    rings.push(parse(m[0]));
  }
  const opaque = rings.filter(c => c && c.a > 0.99);
  const box = el.getBoundingClientRect();
  if (box.width < 4 || box.height < 4) {  // focused but not shown
    return {what: el.tagName + "#" + el.id + " (hidden) " +
      (el.textContent || "").trim().slice(0, 40), contrast: 0};
  }
  return {
    what: el.tagName + "#" + el.id + "." + el.className + " " +
      (el.textContent || el.name || "").trim().slice(0, 40) + " " +
      [style.outlineStyle, style.outlineWidth, style.outlineColor,
       style.boxShadow, JSON.stringify(background)].join(" | "),
    contrast: Math.max(0, ...opaque.map(c => ratio(c, background))),
  };
}"""
)
# A control's border against the page around it.
BORDER_CONTRAST = (
    "el => {"
    + COLOURS
    + """
  return {
    what: el.id + " " + style.borderTopColor + " on " + JSON.stringify(background),
    contrast: ratio(parse(style.borderTopColor), background),
  };
}"""
)


class TestFormPattern(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    # helpers -------------------------------------------------------------

    def setUp(self):
        super().setUp()
        self.page.goto(self.portal_url)
        self.site = self.page.title()  # the site's title, alone on its home

    def next_step(self):
        # the next page is loaded before its title is read
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Étape suivante").click()

    def assert_summary_focused_and_linked(self, links):
        """The error summary has the focus; each of ``links`` (link text →
        field id) moves the focus to its field."""
        page = self.page
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        self.assertIsNone(summary.get_attribute("role"))
        for text, field_id in links.items():
            summary.get_by_role("link", name=re.compile("^" + re.escape(text))).click()
            expect(page.locator(f"#{field_id}")).to_be_focused()

    def assert_accessible_at_both_widths(self, what):
        self.page.mouse.move(0, 0)  # no hover transition under axe
        self.assert_accessible(f"{what} (1280 px)")
        self.page.set_viewport_size({"width": 320, "height": 800})
        self.assert_accessible(f"{what} (320 px)")
        self.page.set_viewport_size({"width": 1280, "height": 800})

    def assert_focus_visible_on_tab(self, steps=60):
        """Tab through the page: every focused element has an indicator of
        3:1 at least against its surroundings."""
        page = self.page
        page.locator("body").focus()
        seen = []
        for _ in range(steps):
            page.keyboard.press("Tab")
            focused = page.evaluate_handle("document.activeElement")
            if focused.evaluate("e => e === document.body"):
                break
            result = focused.evaluate(FOCUS_CONTRAST)
            if result["contrast"] < 3:  # a ring still in its transition
                page.wait_for_timeout(400)
                result = focused.evaluate(FOCUS_CONTRAST)
            seen.append(result)
            self.assertGreaterEqual(result["contrast"], 3, result["what"])
        self.assertGreater(len(seen), 5)

    def registration_step_one(self):
        page = self.page
        page.get_by_label("Madame").check()
        page.get_by_label("Prénom").fill("Inès")
        page.locator("#field-last_name").fill("Marchal")
        page.get_by_label("Date de naissance").fill("1992-04-05")
        page.get_by_label("Adresse électronique").fill("ines.pattern@example.org")

    # tests -----------------------------------------------------------------

    def test_skip_link_first_and_to_the_content(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@creer-un-compte")
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        expect(skip).to_have_text("Aller au contenu")
        expect(skip).to_be_visible()
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        self.assertTrue(
            page.evaluate(
                "document.getElementById('portal-column-content')"
                ".contains(document.activeElement)"
            )
        )
        # on another page too, and for a logged-in citizen
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-compte")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Aller au contenu")

    def test_registration_titles_summary_focus_and_contrast(self):
        page = self.page
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{self.portal_url}/@@creer-un-compte")
        titles = [page.title()]
        self.assertEqual(
            titles[0], f"Étape 1 sur 5 : Identité — Créer un compte — {self.site}"
        )
        self.assertEqual(page.locator("[role=alert]").count(), 0)
        # one marker, announced once: no « (obligatoire) », no Plone dot
        expect(page.get_by_label("Prénom")).to_have_accessible_name("Prénom")
        expect(page.get_by_label("Prénom")).to_have_js_property("required", True)
        self.assert_focus_visible_on_tab()

        # a failed submit: every error listed, each a link to its field
        self.next_step()
        titles.append(page.title())
        self.assertTrue(titles[-1].startswith("Erreur : Étape 1 sur 5 : Identité"))
        summary = page.locator("#error-summary")
        expect(summary).to_contain_text("Prénom")
        expect(summary).to_contain_text("Adresse électronique")
        self.assertGreaterEqual(summary.get_by_role("link").count(), 4)
        self.assert_summary_focused_and_linked(
            {"Prénom": "field-first_name", "Civilité": "field-civility-mme"}
        )
        self.assert_accessible_at_both_widths("inscription, erreurs")

        # the other steps and their error states: all titles differ
        self.registration_step_one()
        self.next_step()
        titles.append(page.title())
        self.next_step()
        titles.append(page.title())
        self.assert_summary_focused_and_linked({"Numéro et voie": "field-street"})
        page.get_by_label("Numéro et voie").fill("8 rue des Vignes")
        page.get_by_label("Code postal").fill("67400")
        page.get_by_label("Commune").fill("Illkirch-Graffenstaden")
        page.get_by_label("Par courriel").check()
        self.next_step()
        titles.append(page.title())
        self.next_step()
        titles.append(page.title())
        self.next_step()
        titles.append(page.title())
        self.assert_summary_focused_and_linked({"Mot de passe :": "field-password"})
        page.locator("#field-password").fill("Vignes-Illkirch-2026")
        page.locator("#field-password_confirm").fill("Vignes-Illkirch-2026")
        self.next_step()
        titles.append(page.title())
        self.assertEqual(len(titles), len(set(titles)), titles)
        self.assertTrue(titles[-1].startswith("Étape 5 sur 5 : Validation — "))

        # the last step: a full summary, French dates, « Modifier » per step
        summary = page.locator("section[aria-labelledby=summary-identity]")
        expect(summary).to_contain_text("05/04/1992")
        expect(summary).to_contain_text("Madame")
        for step in ("identity", "address", "household", "password"):
            expect(
                page.locator(f"section[aria-labelledby=summary-{step}]").get_by_role(
                    "button", name=re.compile("^Modifier")
                )
            ).to_have_count(1)
        # buttons: « Étape précédente » before the main action
        buttons = page.locator(".eservices-wizard-buttons button")
        expect(buttons.first).to_have_text("Étape précédente")

        # the captcha: an inline player, « Nouveau code » keeps what was typed
        audio = page.locator("audio#captcha-audio")
        expect(audio).to_have_attribute("controls", re.compile(".*"))
        expect(audio).to_have_attribute("src", re.compile("captcha-audio"))
        expect(page.locator("a[href*=captcha-audio]:visible")).to_have_count(0)
        page.get_by_label("J'accepte").check()
        token = page.locator("input[name=captcha_token]").input_value()
        image = page.locator("#captcha-image").get_attribute("src")
        page.evaluate("window.notReloaded = true")
        page.get_by_role("button", name="Nouveau code").click()
        expect(page.locator("input[name=captcha_token]")).not_to_have_value(token)
        self.assertNotEqual(page.locator("#captcha-image").get_attribute("src"), image)
        self.assertTrue(page.evaluate("window.notReloaded === true"))
        expect(page.get_by_label("J'accepte")).to_be_checked()
        expect(page.locator("#captcha-status")).to_have_text(
            "Un nouveau code est affiché."
        )
        self.assert_accessible_at_both_widths("inscription, validation")

        # « Modifier » leads back to its step, with what was typed
        page.locator("section[aria-labelledby=summary-address]").get_by_role(
            "button", name=re.compile("^Modifier")
        ).click()
        expect(page.locator("#step-title")).to_contain_text("Étape 2 sur 5")
        expect(page.get_by_label("Numéro et voie")).to_have_value("8 rue des Vignes")

    def test_plone_pages_have_their_own_titles(self):
        titles = {"home": self.site}
        for view in (
            "login",
            "sitemap",
            "contact-info",
            "accessibility-info",
            "search",
        ):
            self.page.goto(f"{self.portal_url}/@@{view}")
            titles[view] = self.page.title()
        self.assertEqual(len(set(titles.values())), len(titles), titles)
        self.assertEqual(titles["sitemap"], f"Plan du site — {self.site}")

    def test_steps_as_a_progress_bar_on_a_phone(self):
        page = self.page
        page.set_viewport_size({"width": 320, "height": 700})
        page.goto(f"{self.portal_url}/@@creer-un-compte")
        expect(page.locator(".eservices-steps")).to_be_hidden()
        expect(page.locator("#step-title")).to_have_text("Étape 1 sur 5 : Identité")
        progress = page.get_by_role("progressbar", name="Étape 1 sur 5 : Identité")
        expect(progress).to_be_visible()
        expect(progress).to_have_attribute("max", "5")

    def test_forgotten_password_summary(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@mot-de-passe-oublie")
        self.assertEqual(page.title(), f"Mot de passe oublié — {self.site}")
        page.get_by_role("button", name="M'envoyer un lien").click()
        expect(page).to_have_title(f"Erreur : Mot de passe oublié — {self.site}")
        self.assert_summary_focused_and_linked(
            {"Identifiant ou adresse électronique": "field-login"}
        )
        self.assert_accessible_at_both_widths("mot de passe oublié, erreur")

    def test_new_password_summary(self):
        page = self.page
        page.goto(f"{self.portal_url}/@@mot-de-passe-oublie")
        page.get_by_label("Identifiant ou adresse électronique").fill("amelie.lire")
        page.get_by_role("button", name="M'envoyer un lien").click()
        body = self.mailsink.messages()[-1].get_body(("plain",)).get_content()
        link = re.search(r"(http\S+nouveau-mot-de-passe\?token=[\w\-]+)", body)
        page.goto(link.group(1))
        page.locator("#field-password").fill("court")
        page.get_by_role("button", name="Modifier mon mot de passe").click()
        expect(page).to_have_title(re.compile("^Erreur : "))
        self.assert_summary_focused_and_linked(
            {"Nouveau mot de passe": "field-password"}
        )
        self.assert_accessible_at_both_widths("nouveau mot de passe, erreur")

    def test_credentials_forms_summary(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/@@changer-mot-de-passe")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page).to_have_title(re.compile("^Erreur : Modifier mon mot de passe"))
        self.assert_summary_focused_and_linked(
            {"Mot de passe actuel": "field-current_password"}
        )
        self.assert_accessible_at_both_widths("modifier mon mot de passe, erreur")
        page.goto(f"{self.portal_url}/@@changer-courriel")
        page.get_by_role("button", name="Enregistrer").click()
        # the domain checks the password first
        self.assert_summary_focused_and_linked(
            {"Votre mot de passe": "field-current_password"}
        )

    def test_request_wizard_summary_and_marker(self):
        page = self.page
        self.login(*AMELIE)
        page.goto(f"{self.portal_url}/demarches/inscription-periscolaire/@@deposer")
        self.next_step()
        expect(page).to_have_title(
            re.compile(
                "^"
                + re.escape(
                    "Erreur : Étape 1 sur 4 : Personne concernée"
                    " — Inscription périscolaire"
                )
            )
        )
        self.assert_summary_focused_and_linked({"Personne concernée": "field-member-0"})
        page.get_by_label("Léo Lire").check()
        self.next_step()
        # a required question: « * » shown, its name clean, required announced
        school_class = page.get_by_label("Classe à la rentrée")
        expect(school_class).to_have_accessible_name("Classe à la rentrée")
        expect(school_class).to_have_js_property("required", True)
        expect(
            page.locator("label[for=field-classe] .eservices-required")
        ).to_have_text("*")
        # control borders: 3:1 at least against the page (WCAG 1.4.11)
        for control in (school_class, page.get_by_label("À partir du")):
            border = control.evaluate(BORDER_CONTRAST)
            self.assertGreaterEqual(border["contrast"], 3, border["what"])

    def test_civil_status_rules_at_their_step_and_full_summary(self):
        page = self.page
        page.goto(f"{self.portal_url}/demarches/acte-de-naissance/@@deposer")
        self.assertTrue(page.title().startswith("Étape 1 sur 5 : Vos coordonnées"))
        self.next_step()
        self.assert_summary_focused_and_linked({"Prénom": "field-r-first_name"})
        page.locator("#field-r-first_name").fill("Paul")
        page.locator("#field-r-last_name").fill("Martin")
        page.locator("#field-r-email").fill("paul.martin@example.org")
        page.locator("#field-r-phone").fill("06 12 34 56 78")
        self.next_step()
        page.get_by_label("Extrait sans filiation").check()
        page.get_by_label("Vous êtes").select_option(label="La personne concernée")
        page.get_by_label("Nombre d'exemplaires").fill("1")
        self.next_step()
        # a birth date in the future is refused at its own step
        page.get_by_label("Nom de la personne").fill("Martin")
        page.get_by_label("Prénoms de la personne").fill("Paul")
        page.get_by_label("Date de naissance").fill("2099-01-01")
        self.next_step()
        expect(page.locator("#step-title")).to_contain_text("Étape 3 sur 5")
        expect(page).to_have_title(re.compile("^Erreur : Étape 3 sur 5"))
        self.assert_summary_focused_and_linked(
            {"Date de naissance": "field-date_evenement"}
        )
        expect(page.locator("#error-summary")).to_contain_text("futur")
        page.get_by_label("Date de naissance").fill("1986-03-14")
        self.next_step()
        page.get_by_label("France", exact=True).check()
        page.get_by_label("Nom du destinataire").fill("Paul Martin")
        page.get_by_label("Numéro et rue").fill("3 rue des Lilas")
        page.get_by_label("Code postal").fill("75011")
        page.get_by_label("Ville").fill("Paris")
        self.next_step()
        # no document asked for: no step named « Pièces »
        expect(page.locator("#step-title")).to_have_text(
            "Étape 5 sur 5 : Vérification et envoi"
        )
        expect(page.locator(".eservices-steps")).not_to_contain_text("Pièces")
        # the summary shows the requester and every step, dates in French
        requester = page.locator("section[aria-labelledby=summary-coordonnees]")
        expect(requester).to_contain_text("Paul")
        expect(requester).to_contain_text("paul.martin@example.org")
        expect(page.locator("section[aria-labelledby=summary-title]")).to_contain_text(
            "14/03/1986"
        )
        self.assertEqual(
            page.locator(".eservices-summary-change").count(), 4, "one per step"
        )
        self.assert_accessible_at_both_widths("acte de naissance, vérification")
        # « Nouveau code » here too, in place
        token = page.locator("input[name=captcha_token]").input_value()
        page.get_by_role("button", name="Nouveau code").click()
        expect(page.locator("input[name=captcha_token]")).not_to_have_value(token)
        expect(requester).to_contain_text("paul.martin@example.org")
        # « Modifier » of the requester leads back there
        requester.get_by_role("button", name=re.compile("^Modifier")).click()
        expect(page.locator("#field-r-email")).to_have_value("paul.martin@example.org")
