"""The request pages over HTTP: the wizard's last step refuses bad files and
answers in French, keeps what was typed and stores nothing; CSRF; a citizen
reaches none of another household's request pages or documents."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests import processing
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import SVG
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.files import pdf_of_size

import html as html_lib
import re
import requests
import transaction
import unittest


TOKEN = re.compile(r'name="_authenticator" value="([0-9a-f]+)"')
MB = 1024 * 1024


class TestFileRequestPages(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.service_url = f"{self.url}/demarches/inscription-periscolaire"
        self.amelie = household_of("amelie.lire")
        self.child = next(
            p.getId() for p in self.amelie.persons() if p.member_type == "child"
        )

    def session(self, account):
        session = requests.Session()
        login, password = account
        response = session.post(
            f"{self.url}/login",
            data={
                "__ac_name": login,
                "__ac_password": password,
                "buttons.login": "Se connecter",
                "form.widgets.came_from": "",
            },
        )
        self.assertIn("__ac", session.cookies)
        self.assertEqual(response.status_code, 200)
        return session

    def token(self, session, url):
        return TOKEN.search(session.get(url).text).group(1)

    def final_step(self, session, files, **extra):
        data = {
            "_authenticator": self.token(session, f"{self.service_url}/@@deposer"),
            "step": "envoi",
            "action": "submit",
            "member": self.child,
            "a.ecole": "École élémentaire Sud",
            "a.classe": "CE1",
            "a.accueils": ["Restauration scolaire", "Accueil du soir"],
            "a.date_debut": "2027-09-01",
            "a.allergies": "Arachides",
        }
        data.update(extra)
        return session.post(
            f"{self.service_url}/@@deposer",
            data=data,
            files=files,
            allow_redirects=False,
        )

    def count(self):
        transaction.begin()
        return len(processing.household_requests(household_of("amelie.lire")))

    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 200, response.text[:300])
        text = html_lib.unescape(response.text)
        self.assertIn(message, text)
        # what was typed is kept (hidden fields of the other steps)
        self.assertIn('value="Arachides"', text)
        self.assertIn('value="CE1"', text)
        self.assertEqual(self.count(), 0)

    def assert_denied(self, response, what):
        """401/403/404, or Plone's redirection to its login form."""
        if response.status_code == 302:
            self.assertIn("login", response.headers["Location"], what)
        else:
            self.assertIn(response.status_code, (401, 403, 404), what)
        self.assertNotIn("Arachides", response.text)

    def good(self):
        return ("doc.carnet-de-vaccination", ("carnet.pdf", pdf(), "application/pdf"))

    def test_bad_files_are_refused_in_french_and_nothing_is_stored(self):
        session = self.session(AMELIE)
        key = "doc.attestation-dassurance-scolaire"
        cases = (
            (("assurance.pdf", HTML, "application/pdf"), "n'est ni un PDF"),
            (("assurance.pdf", SVG, "application/pdf"), "n'est ni un PDF"),
            (("dessin.svg", SVG, "image/svg+xml"), "n'est ni un PDF"),
            (("vide.pdf", b"", "application/pdf"), "est vide"),
            (("gros.pdf", pdf_of_size(11 * MB), "application/pdf"), "10 Mo au maximum"),
        )
        for upload, message in cases:
            with self.subTest(upload[0]):
                response = self.final_step(session, [(key, upload), self.good()])
                self.assert_refused(response, message)

    def test_png_renamed_pdf_is_accepted_as_png(self):
        session = self.session(AMELIE)
        response = self.final_step(
            session,
            [
                (
                    "doc.attestation-dassurance-scolaire",
                    ("scan.pdf", image("PNG"), "application/pdf"),
                ),
                self.good(),
            ],
        )
        self.assertEqual(response.status_code, 302)
        page = session.get(response.headers["Location"]).text
        self.assertIn("scan.png", page)
        self.assertEqual(self.count(), 1)

    def test_missing_and_unknown_answers(self):
        session = self.session(AMELIE)
        response = self.final_step(session, [self.good()], **{"a.classe": ""})
        self.assert_refused(response, "Cette réponse est obligatoire.")
        # an answer to a question the form does not have is ignored by the
        # page (it never sends one) and refused by the API (see the API tests)

    def test_csrf_is_required(self):
        session = self.session(AMELIE)
        response = session.post(
            f"{self.service_url}/@@deposer",
            data={"step": "envoi", "action": "submit", "member": self.child},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.count(), 0)

    def test_another_household_reaches_nothing(self):
        amelie = self.session(AMELIE)
        response = self.final_step(amelie, [self.good()], by_post="on")
        self.assertEqual(response.status_code, 302, response.text[:500])
        request_url = response.headers["Location"].split("?")[0]
        transaction.begin()
        request_obj = processing.household_requests(household_of("amelie.lire"))[0]
        request_obj = request_obj._unrestrictedGetObject()
        attachment = request_obj.attachments[0].id
        download = f"{request_url}/@@piece-jointe/{attachment}"
        mine = amelie.get(download)
        self.assertEqual(mine.status_code, 200)
        self.assertTrue(mine.headers["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(mine.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(mine.content, pdf())

        for who in (self.session(JEROME), self.session(VOIRIE), requests.Session()):
            for url in (
                request_url,
                f"{request_url}/view",
                download,
                f"{self.url}/resolveuid/{request_obj.UID()}",
            ):
                response = who.get(url, allow_redirects=False)
                if "resolveuid" in url and response.status_code == 301:
                    # Plone's resolveuid redirects to the URL whoever asks
                    # (plone.outputfilters); the content stays denied there.
                    response = who.get(
                        response.headers["Location"], allow_redirects=False
                    )
                self.assert_denied(response, url)
            token = TOKEN.search(who.get(f"{self.url}/@@mon-espace-compte").text or "")
            data = {
                "_authenticator": token.group(1) if token else "",
                "transition": "mark_complete",
            }
            for view in ("changer-statut", "ajouter-pieces"):
                response = who.post(
                    f"{request_url}/@@{view}",
                    data=data,
                    files={"files": ("x.pdf", pdf(), "application/pdf")},
                    allow_redirects=False,
                )
                self.assert_denied(response, view)
        transaction.begin()
        request_obj = household_of("amelie.lire")[request_obj.getId()]
        self.assertEqual(processing.state(request_obj), "submitted")
        self.assertEqual(len(request_obj.attachments), 1)

        # the citizen cannot fire the agents' transitions from the page
        token = self.token(amelie, request_url)
        amelie.post(
            f"{request_url}/@@changer-statut",
            data={"_authenticator": token, "transition": "mark_complete"},
        )
        transaction.begin()
        self.assertEqual(
            processing.state(household_of("amelie.lire")[request_obj.getId()]),
            "submitted",
        )
        # the agent of the service's group sees it and its documents
        agent = self.session(AGENT)
        self.assertEqual(agent.get(download).status_code, 200)
        self.assertIn(
            "Contacter l'usager", html_lib.unescape(agent.get(request_url).text)
        )
