"""The audio captcha in Chromium (issue 13, item 9): it plays, the same
recording at every opening, about five times per code."""

from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.sessions import rest_session
from playwright.sync_api import expect


class TestCaptchaAudio(BrowserTestCase):
    layer = FUNCTIONAL_TESTING

    def test_a_person_plays_the_code_about_five_times(self):
        challenge = (
            rest_session(self.portal_url)
            .get(f"{self.portal_url}/@registration/captcha")
            .json()
        )
        bodies, durations = set(), []
        self.page.on(
            "response",
            lambda response: (
                bodies.add(response.body()) if response.status == 200 else None
            ),
        )
        for _ in range(5):
            self.page.goto(challenge["audio"])
            media = self.page.locator("video, audio").first
            expect(media).to_be_attached()
            durations.append(
                media.evaluate(
                    "m => m.readyState >= 1 ? m.duration : new Promise(done =>"
                    " m.addEventListener('loadedmetadata', () => done(m.duration)))"
                )
            )
        # one recording of the six digits, 4 to 12 seconds long
        self.assertEqual(len(set(durations)), 1)
        self.assertTrue(4 <= durations[0] <= 12, durations)
        self.assertEqual(len(bodies), 1)
        # the sixth opening: a new code is needed, said in French
        self.page.goto(challenge["audio"])
        expect(self.page.locator("body")).to_contain_text(
            "Ce code de vérification a été écouté trop de fois"
        )
