"""Civil-status requests without an account: the rules of who may obtain
which document, the checks of dates, copies and address, the captcha, the
tracking code and its limits."""

from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts import registration
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.requests import tracking
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import BIRTH_ANSWERS
from illkirch.eservices.testing.requests import PAUL_MARTIN
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from zope.i18n import translate

import unittest


REQUESTER = dict(PAUL_MARTIN, phone="+49 30 1234567")


def french(message):
    return translate(message, target_language="fr")


class CivilStatusTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.folder = self.portal["demarches"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        logout()

    def captcha(self):
        token = registration.new_captcha()
        return {
            "token": token,
            "answer": captcha.answer_for(registration.captcha_secret(), token),
        }

    def file(self, service_id="acte-de-naissance", answers=None, **kwargs):
        kwargs.setdefault("requester", REQUESTER)
        kwargs.setdefault("captcha", self.captcha())
        return submission.submit(
            self.folder[service_id], answers or BIRTH_ANSWERS, **kwargs
        )

    def errors(self, service_id="acte-de-naissance", answers=None, **kwargs):
        with self.assertRaises(submission.SubmissionError) as info:
            self.file(service_id, answers, **kwargs)
        return {key: french(value) for key, value in info.exception.errors.items()}

    def count(self):
        catalog = api.portal.get_tool("portal_catalog")
        return len(catalog.unrestrictedSearchResults(portal_type="Request"))

    def test_anonymous_birth_extract_with_tracking_code_by_email(self):
        request_obj = self.file()
        self.assertEqual(request_obj.aq_parent.getId(), "demandes")
        self.assertTrue(request_obj.postal_delivery)
        self.assertEqual(request_obj.requester_email, "paul.martin@example.org")
        code = submission.last_tracking_code(self.layer["request"])
        self.assertEqual(len(code), 8)
        self.assertTrue(set(code) <= set(tracking.ALPHABET))
        self.assertNotIn(code, repr(request_obj.__dict__))
        mail = self.mailhost.messages[-1].decode("utf-8", "replace")
        self.assertIn("paul.martin@example.org", mail)
        self.assertIn(code, mail)
        # nobody but the agents of the service's group sees it
        self.assertFalse(api.user.has_permission("View", obj=request_obj))
        self.assertEqual(
            [r for r, _roles in request_obj.get_local_roles()], ["agents-population"]
        )
        login(self.portal, "agent.voirie")
        self.assertFalse(api.user.has_permission("View", obj=request_obj))
        login(self.portal, "agent.accueil")
        self.assertTrue(api.user.has_permission("View", obj=request_obj))
        # followed with number and code
        logout()
        found = tracking.lookup(request_obj.number, code.lower(), "192.0.2.1")
        self.assertEqual(found.UID(), request_obj.UID())

    def test_an_invoice_bearing_the_same_number_is_not_a_request(self):
        request_obj = self.file()
        code = submission.last_tracking_code(self.layer["request"])
        from illkirch.eservices.accounts.households import household_of
        from plone.dexterity.utils import createContentInContainer

        with api.env.adopt_roles(["Manager"]):
            invoice = createContentInContainer(
                household_of("amelie.lire"),
                "Invoice",
                checkConstraints=False,
                title="Facture",
            )
            invoice.number, invoice.regie = request_obj.number, "ville"
            invoice.reindexObject()
        catalog = api.portal.get_tool("portal_catalog")
        # each in its own type's index of numbers (#22, upgrade 1018)
        self.assertEqual(
            len(catalog.unrestrictedSearchResults(request_number=request_obj.number)), 1
        )
        self.assertEqual(
            len(catalog.unrestrictedSearchResults(invoice_number=request_obj.number)), 1
        )
        found = tracking.lookup(request_obj.number, code, "192.0.2.2")
        self.assertEqual(found.UID(), request_obj.UID())

    def test_the_rule_of_full_copies(self):
        answers = dict(BIRTH_ANSWERS, type_document="Copie intégrale")
        errors = self.errors(answers=answers)
        self.assertIn(
            "n'est délivré qu'à la personne concernée", errors["type_document"]
        )
        self.assertEqual(self.count(), 0)
        # with a legal ground, or as a descendant, it is accepted
        self.file(answers=dict(answers, motif_legal="Notaire chargé de la succession"))
        self.file(
            answers=dict(
                answers, qualite="Un de ses descendants (enfant, petit-enfant)"
            )
        )
        # a death act, for anyone
        death = dict(
            BIRTH_ANSWERS, type_document="Copie intégrale", date_evenement="2020-01-02"
        )
        del death["qualite"]
        self.file("acte-de-deces", answers=death)

    def test_bad_input(self):
        cases = (
            (
                dict(BIRTH_ANSWERS, date_evenement="2999-01-01"),
                "date_evenement",
                "futur",
            ),
            (dict(BIRTH_ANSWERS, nombre_exemplaires=6), "nombre_exemplaires", "5"),
            (
                dict(BIRTH_ANSWERS, pays_livraison="Étranger", code_postal=""),
                "pays",
                "pays",
            ),
            (dict(BIRTH_ANSWERS, code_postal=""), "code_postal", "code postal"),
        )
        for answers, key, text in cases:
            with self.subTest(key):
                errors = self.errors(answers=answers)
                self.assertIn(text, errors[key].lower())
        death = dict(
            BIRTH_ANSWERS,
            type_document="Copie intégrale",
            date_evenement="2020-01-02",
            date_naissance="2021-05-05",
        )
        del death["qualite"]
        errors = self.errors("acte-de-deces", answers=death)
        self.assertIn("date_naissance", errors)
        errors = self.errors(captcha={"token": "x", "answer": "1"})
        self.assertIn("captcha_answer", errors)
        errors = self.errors(requester={"first_name": "Paul"})
        self.assertIn("requester.email", errors)
        self.assertEqual(self.count(), 0)

    def test_a_captcha_serves_once(self):
        challenge = self.captcha()
        self.file(captcha=challenge)
        self.assertIn("captcha_answer", self.errors(captcha=challenge))

    def test_logged_in_citizen_files_in_the_household(self):
        login(self.portal, "amélie.lire")
        request_obj = self.file(requester=None, captcha=None)
        self.assertEqual(processing.household_of(request_obj).holder_id, "amelie.lire")
        self.assertEqual(request_obj.requester_name, "Amélie Lire")
        self.assertTrue(request_obj.tracking_digest)

    def test_tracking_limits(self):
        request_obj = self.file()
        code = submission.last_tracking_code(self.layer["request"])
        wrong = []
        for _attempt in range(10):
            with self.assertRaises(tracking.TrackingRefused) as info:
                tracking.lookup(request_obj.number, "WRONG234", "198.51.100.7")
            wrong.append(info.exception)
        self.assertFalse(any(e.locked for e in wrong))
        with self.assertRaises(tracking.TrackingRefused) as info:
            tracking.lookup("2026-999999", code, "198.51.100.99")
        self.assertEqual(info.exception.message, wrong[0].message)  # same answer
        # the 11th try for this number is refused even with the right code
        with self.assertRaises(tracking.TrackingRefused) as info:
            tracking.lookup(request_obj.number, code, "203.0.113.5")
        self.assertTrue(info.exception.locked)

    def test_agent_sends_it_by_post(self):
        request_obj = self.file()
        login(self.portal, "agent.accueil")
        processing.fire(request_obj, "mark_complete")
        processing.fire(request_obj, "accept")
        processing.fire(request_obj, "send", "Envoi en lettre suivie.")
        self.assertEqual(processing.state(request_obj), "sent")
        self.assertIsNotNone(request_obj.posted_on)
        mail = self.mailhost.messages[-1].decode("utf-8", "replace")
        self.assertIn("paul.martin@example.org", mail)
        logout()
        status = tracking.public_status(request_obj)
        self.assertEqual(status["review_state"], "sent")
        self.assertIn("Envoi en lettre suivie.", status["history"][-1]["comment"])
