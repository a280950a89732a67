"""Every write to the add-on's REST services needs ``Content-Type:
application/json`` (#13 item 11): a page of another site can send
``text/plain`` or a form with the visitor's cookie, never JSON.

One test per write service (``WRITES``), each with a cookie session and a
``text/plain`` body: 415 and nothing done. ``test_the_list_covers_every_write
_service`` fails when a write service is registered without being listed
here (or in ``EXEMPT``, with its reason).
"""

from illkirch.eservices.accounts.pas import PLUGIN_ID
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.demo import PASSWORDS
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.sessions import ACCEPT_JSON
from illkirch.eservices.testing.sessions import cookie_session
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.rest.interfaces import IService
from zope.component import getGlobalSiteManager

import json
import requests
import transaction
import unittest


AMELIE = ("amelie.lire", PASSWORDS["amelie.lire"])
JEROME = ("jerome.attente", PASSWORDS["jerome.attente"])
TEXT = {**ACCEPT_JSON, "Content-Type": "text/plain"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# (method, service name, path after the site's URL, who sends it, body)
WRITES = [
    ("POST", "@login", "@login", AMELIE, {"login": "amelie.lire", "password": "wrong"}),
    # FranceConnect over REST (#20): the provider's answer, the completion
    (
        "POST",
        "@login-oidc",
        "@login-oidc/franceconnect",
        AMELIE,
        {"qs": "code=a-code&state=a-state", "flow": "a.flow"},
    ),
    (
        "POST",
        "@franceconnect-completion",
        "@franceconnect-completion",
        AMELIE,
        {"completion_token": "a.token", "consent": True},
    ),
    # linking one's account to FranceConnect over REST (#20)
    (
        "POST",
        "@franceconnect-link",
        "@franceconnect-link",
        AMELIE,
        {"password": AMELIE[1]},
    ),
    ("DELETE", "@franceconnect-link", "@franceconnect-link", AMELIE, None),
    ("POST", "@password-reset", "@password-reset", AMELIE, {"login": "amelie.lire"}),
    (
        "POST",
        "@password-reset",
        "@password-reset/a-token",
        AMELIE,
        {"password": "Nouveau-Secret-2026", "password_confirm": "Nouveau-Secret-2026"},
    ),
    (
        "POST",
        "@account-password",
        "@account-password",
        AMELIE,
        {
            "current_password": AMELIE[1],
            "password": "Nouveau-Secret-2026",
            "password_confirm": "Nouveau-Secret-2026",
        },
    ),
    (
        "POST",
        "@account-email",
        "@account-email",
        AMELIE,
        {"password": AMELIE[1], "email": "pirate@example.org"},
    ),
    ("POST", "@account-closure", "@account-closure", AMELIE, {}),
    ("POST", "@registration", "@registration", AMELIE, {"step": "identity"}),
    ("PATCH", "@household", "@household", AMELIE, {"phone": "0388000000"}),
    (
        "POST",
        "@household",
        "@household/members",
        AMELIE,
        {"member_type": "child", "first_name": "Pirate", "last_name": "Lire"},
    ),
    ("DELETE", "@household", "@household/members/{member}", AMELIE, None),
    ("POST", "@cart", "@cart", AMELIE, {"uid": "{invoice}"}),
    ("POST", "@cart", "@cart/checkout", AMELIE, {}),
    ("DELETE", "@cart", "@cart/{invoice}", AMELIE, None),
    (
        "POST",
        "@requests",
        "@requests",
        JEROME,
        {"service": "signalement-voie-publique", "answers": SIGNALEMENT_ANSWERS},
    ),
    ("POST", "@attachments", "{request}/@attachments", JEROME, {"documents": []}),
    (
        "POST",
        "@requests-bulk",
        "@requests-bulk",
        VOIRIE,
        {"uids": ["{request_uid}"], "action": "assign", "assignee": "me"},
    ),
    ("POST", "@assign", "{request}/@assign", VOIRIE, {"assignee": "me"}),
    (
        "POST",
        "@corrections",
        "{request}/@corrections",
        VOIRIE,
        {"fields": ["adresse"], "documents": [], "message": "L'adresse ?"},
    ),
    ("PATCH", "@corrections", "{request}/@corrections", JEROME, {"answers": {}}),
    ("POST", "@messages", "{request}/@messages", JEROME, {"text": "Bonjour"}),
    (
        "POST",
        "@drafts",
        "@drafts",
        JEROME,
        {"service": "signalement-voie-publique", "answers": {}},
    ),
    ("PATCH", "@drafts", "@drafts/inconnu", JEROME, {"answers": {}}),
    ("DELETE", "@drafts", "@drafts/inconnu", JEROME, None),
    ("POST", "@invoices-import", "@invoices-import", REGIE, {"invoices": []}),
    ("PATCH", "@users", "@users/amelie.lire", AMELIE, {"email": "pirate@example.org"}),
    ("PATCH", "@notifications", "@notifications", VOIRIE, {"digest": True}),
    ("POST", "@users", "@users/amelie.lire/reset-password", AMELIE, {}),
    (
        "POST",
        "@jobs",
        "@jobs/inconnue/retry",
        (SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
        {},
    ),
    (
        "PATCH",
        "@prefill",
        "demarches/signalement-voie-publique/@prefill/mapping",
        ("redacteur", PASSWORDS["redacteur"]),
        {"mapping": {"adresse": "address"}},
    ),
    ("DELETE", "@locker", "@locker/0123456789abcdef", AMELIE, None),
    ("POST", "@verify", "@verify/ABCDEFGHJKMNPQRS", AMELIE, {"data": ""}),
]

# Write services that take no JSON, deliberately.
EXEMPT = {
    # The bank's server posts a form, which eopayment verifies by the bank's
    # signature; no session of a visitor is involved.
    ("POST", "@payment-notify"),
}

WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


def registered_write_services():
    """``{(method, name)}`` of the add-on's REST write services, as
    registered in the component registry (plone.rest names each
    ``<METHOD>_<type>_<subtype>_<name>``)."""
    registries, seen = [getGlobalSiteManager()], []
    while registries:  # the test layers stack registries on the global one
        registry = registries.pop()
        if registry not in seen:
            seen.append(registry)
            registries.extend(registry.__bases__)
    found = set()
    for registration in (r for registry in seen for r in registry.registeredAdapters()):
        factory = registration.factory
        if not isinstance(factory, type) or not IService.implementedBy(factory):
            continue
        if not any(
            (cls.__module__ or "").startswith("illkirch.eservices.")
            for cls in factory.__mro__
        ):
            continue
        method = registration.name.split("_", 1)[0]
        if method in WRITE_METHODS:
            found.add((method, registration.name.split("_", 3)[3]))
    return found


class TestJsonWrites(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        self.sink = self.layer["mailsink"]

    def browser(self, account):
        """A cookie session, as a browser visiting another site would send."""
        session = cookie_session(self.url, *account)
        self.addCleanup(session.close)
        return session

    def values(self):
        """What the paths and bodies refer to: a request of Jérôme (filed
        with JSON), an invoice and a member of Amélie."""
        filed = rest_session(self.url, *JEROME).post(
            f"{self.url}/@requests",
            json={
                "service": "signalement-voie-publique",
                "answers": SIGNALEMENT_ANSWERS,
            },
        )
        self.assertEqual(filed.status_code, 201, filed.text)
        transaction.begin()
        from illkirch.eservices.accounts.households import household_of

        household = household_of("amelie.lire")
        member = next(p for p in household.persons() if p.member_type == "child")
        invoice = next(
            o for o in household.objectValues() if o.portal_type == "Invoice"
        )
        request_url = filed.json()["@id"]
        request_obj = self.portal.unrestrictedTraverse(request_url[len(self.url) + 1 :])
        return {
            "request": request_url[len(self.url) + 1 :],
            "request_uid": request_obj.UID(),
            "member": member.getId(),
            "invoice": invoice.UID(),
        }

    def state(self):
        """What the refused writes would have changed."""
        transaction.begin()
        from illkirch.eservices.accounts.households import household_of

        household = household_of("amelie.lire")
        catalog = self.portal.portal_catalog
        return {
            "members": sorted(p.getId() for p in household.persons()),
            "phone": household.phone,
            "requests": len(catalog.unrestrictedSearchResults(portal_type="Request")),
            "failures": dict(self.portal.acl_users[PLUGIN_ID]._failures),
            "mails": len(self.sink.messages()),
        }

    def check_refused(self, method, path, account, body):
        values = self.values()
        # logged in first: the Zope administrator's login through the site's
        # form counts a failure in the site's own users (not the write's doing)
        session = self.browser(account)
        before = self.state()

        def fill(text):
            for key, value in values.items():
                text = text.replace(f"{{{key}}}", value)
            return text

        if body is not None:
            body = json.loads(fill(json.dumps(body)))
        response = session.request(
            method,
            f"{self.url}/{fill(path)}",
            headers=TEXT,
            data=None if body is None else json.dumps(body),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 415, response.text[:500])
        error = response.json()["error"]
        self.assertEqual(error["type"], "UnsupportedMediaType")
        self.assertIn("Content-Type: application/json", error["message"])
        self.assertIn("Envoyez", error["message"])
        if method == "POST":
            # as a cross-site form would send it (no Accept), through /++api++
            response = session.post(
                f"{self.url}/++api++/{fill(path)}",
                headers=FORM,
                data={"payload": json.dumps(body)},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 415, response.text[:500])
        self.assertEqual(self.state(), before)

    def test_the_list_covers_every_write_service(self):
        listed = {(method, name) for method, name, *_ in WRITES}
        self.assertEqual(registered_write_services(), listed | EXEMPT)

    def test_csv_import_still_takes_text_csv(self):
        session = self.browser(REGIE)
        response = session.post(
            f"{self.url}/@invoices-import",
            headers={**ACCEPT_JSON, "Content-Type": "text/csv"},
            data=b"",
        )
        self.assertNotEqual(response.status_code, 415, response.text)

    def test_bank_notification_takes_a_form(self):
        response = requests.post(
            f"{self.url}/@payment-notify/inconnue",
            headers=dict(FORM, Accept="application/json"),
            data={"a": "b"},
        )
        self.assertNotEqual(response.status_code, 415, response.text)


def _make_test(method, path, account, body):
    def test(self):
        self.check_refused(method, path, account, body)

    return test


for _index, (_method, _name, _path, _account, _body) in enumerate(WRITES):
    _slug = "".join(c if c.isalnum() else "_" for c in _path.replace("@", ""))
    setattr(
        TestJsonWrites,
        f"test_text_plain_refused_{_index:02d}_{_method}_{_slug}",
        _make_test(_method, _path, _account, _body),
    )
