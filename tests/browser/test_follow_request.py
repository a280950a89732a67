"""Browser test (Chromium): « Suivre ma demande » past the threshold of
wrong tries of a shared address (#15 item 8): the page asks for the
captcha instead of locking, and the right number and code get through with
it; axe-core finds nothing at 1280 px and 320 px."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.requests import BIRTH_ANSWERS
from illkirch.eservices.testing.sessions import rest_session
from playwright.sync_api import expect

import re
import requests


PER_ADDRESS = 100  # wrong tries an hour from one address (docs/security.md)


class TestFollowRequest(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def answer(self, token):
        return requests.get(
            f"{self.portal_url}/@@test-captcha-answer", params={"token": token}
        ).text

    def file(self):
        rest = rest_session(self.portal_url)
        token = rest.get(f"{self.portal_url}/@registration/captcha").json()["token"]
        data = rest.post(
            f"{self.portal_url}/@requests",
            json={
                "service": "acte-de-naissance",
                "answers": BIRTH_ANSWERS,
                "requester": {
                    "first_name": "Paul",
                    "last_name": "Martin",
                    "email": "paul.martin@example.org",
                },
                "captcha": {"token": token, "answer": self.answer(token)},
            },
        ).json()
        # the wrong tries of the others behind the same address (this test
        # and the browser share 127.0.0.1), each on another number
        for index in range(PER_ADDRESS):
            response = rest.get(
                f"{self.portal_url}/@request-status",
                params={"number": f"2026-9{index:05d}", "code": "WRONG234"},
            )
            self.assertEqual(response.status_code, 404)
        return data["number"], data["tracking_code"]

    def test_a_captcha_instead_of_a_lock(self):
        number, code = self.file()
        page = self.page
        page.goto(f"{self.portal_url}/@@suivre-ma-demande")
        captcha = page.locator("#field-captcha_answer")
        expect(captcha).to_be_visible()
        self.assert_accessible("Suivre ma demande avec code de vérification")
        page.set_viewport_size({"width": 320, "height": 800})
        self.assert_accessible("Suivre ma demande avec code de vérification, 320 px")
        page.set_viewport_size({"width": 1280, "height": 800})

        page.get_by_label("Numéro de la demande").fill(number)
        page.get_by_label("Code de suivi").fill(code)
        page.get_by_role("button", name="Voir la demande").click()
        alert = page.locator(".alert-danger")
        expect(alert).to_contain_text("Beaucoup d'essais erronés")
        # the form pattern: the summary has focus, the title says « Erreur : »
        expect(alert).to_be_focused()
        expect(page).to_have_title(re.compile(r"^Erreur : Suivre ma demande — "))
        self.assert_accessible("Suivre ma demande, code de vérification manquant")
        alert.get_by_role("link").click()
        expect(captcha).to_be_focused()

        token = page.locator("input[name=captcha_token]").input_value()
        page.get_by_label("Code de suivi").fill(code)
        captcha.fill(self.answer(token))
        page.get_by_role("button", name="Voir la demande").click()
        result = page.locator("section[aria-labelledby=follow-result-title]")
        expect(result.locator(".eservices-status")).to_have_text("En cours")
        expect(page.locator(".alert-danger")).to_have_count(0)
        self.assert_accessible("Suivre ma demande, résultat après le code")
