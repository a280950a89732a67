"""A régie's payment backend, set by the Finance role with a form generated
from eopayment's description; secrets never shown back (page, REST)."""

from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.sessions import rest_session

import re
import requests
import transaction
import unittest


TOKEN = re.compile(r'name="_authenticator" value="([0-9a-f]+)"')
SECRET = "s3cr3t-de-test-1234"


class TestRegieBackend(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        self.form_url = f"{self.url}/regies/ccas/@@moyen-de-paiement"

    def session(self, account):
        session = requests.Session()
        session.post(
            f"{self.url}/login",
            data={
                "__ac_name": account[0],
                "__ac_password": account[1],
                "buttons.login": "Se connecter",
                "form.widgets.came_from": "",
            },
        )
        return session

    def save(self, session, **values):
        page = session.get(self.form_url, params={"backend": "systempayv2"}).text
        data = {
            "_authenticator": TOKEN.search(page).group(1),
            "backend": "systempayv2",
            "save": "1",
            **values,
        }
        return session.post(self.form_url, data=data, allow_redirects=False)

    def test_finance_sets_systempay_and_the_secret_stays_hidden(self):
        session = self.session(REGIE)
        page = session.get(self.form_url, params={"backend": "systempayv2"})
        self.assertEqual(page.status_code, 200)
        self.assertIn("vads_site_id", page.text)
        refused = self.save(session, vads_site_id="", secret_test="")
        self.assertEqual(refused.status_code, 200)
        self.assertIn("obligatoire", refused.text)
        saved = self.save(
            session,
            vads_site_id="12345678",
            secret_test=SECRET,
            vads_ctx_mode="TEST",
            signature_algo="hmac_sha256",
        )
        self.assertEqual(saved.status_code, 302, saved.text[:300])
        transaction.begin()
        regie = self.layer["portal"]["regies"]["ccas"]
        self.assertEqual(regie.backend, "systempayv2")
        self.assertEqual(regie.backend_options["secret_test"], SECRET)
        page = session.get(self.form_url).text
        self.assertNotIn(SECRET, page)
        # saved again without retyping the secret: it is kept
        self.save(session, vads_site_id="87654321", secret_test="")
        transaction.begin()
        self.assertEqual(regie.backend_options["secret_test"], SECRET)
        self.assertEqual(regie.backend_options["vads_site_id"], "87654321")
        api = rest_session(self.url, *REGIE)
        self.assertNotIn(SECRET, api.get(f"{self.url}/regies/ccas").text)

    def test_only_finance(self):
        for account in (AGENT, AMELIE):
            response = self.session(account).get(self.form_url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 401, 403, 404))
            self.assertNotIn("vads_site_id", response.text)

    def test_only_proven_backends_are_offered(self):
        from illkirch.eservices.billing import regies
        from illkirch.eservices.offered_backends import PROVEN

        self.assertEqual(
            {kind for kind, _title in regies.backends()}, set(PROVEN) | {"dummy"}
        )  # dummy: a demo site
        session = self.session(REGIE)
        page = session.get(self.form_url).text
        select = page[page.index('id="backend-kind"') :]
        select = select[: select.index("</select>")]
        self.assertEqual(
            set(re.findall(r'value="([^"]+)"', select)), set(PROVEN) | {"dummy"}
        )
        for kind in ("tipi", "mollie", "keyware", "worldline", "saga"):
            page = session.get(self.form_url, params={"backend": kind}).text
            data = {
                "_authenticator": TOKEN.search(page).group(1),
                "backend": kind,
                "save": "1",
                "numcli": "123456",
            }
            response = session.post(self.form_url, data=data, allow_redirects=False)
            self.assertEqual(response.status_code, 200, kind)
            self.assertIn("Moyen de paiement inconnu", response.text)
            # nor through the REST API
            api = rest_session(self.url, *REGIE)
            response = api.patch(f"{self.url}/regies/ccas", json={"backend": kind})
            self.assertEqual(response.status_code, 400, response.text)
            self.assertIn("Moyen de paiement inconnu", response.text)
            transaction.begin()
            self.assertNotEqual(self.layer["portal"]["regies"]["ccas"].backend, kind)
