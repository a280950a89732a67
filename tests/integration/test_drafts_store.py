"""Drafts of requests (drafts/store.py, drafts/expiry.py) on the demo site:
kept in the household, bounded, submitted through the rules of
``POST /@requests``, reminded once and deleted with their documents when
they expire; the upgrade step 1009 → 1010 of their settings."""

from datetime import timedelta
from email import message_from_bytes
from email import policy
from illkirch.eservices.accounts import households
from illkirch.eservices.drafts import expiry
from illkirch.eservices.drafts import store
from illkirch.eservices.requests import submission
from illkirch.eservices.site_storage import site_btree
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.drafts import HALF_ANSWERS
from illkirch.eservices.testing.drafts import REST_OF_ANSWERS
from illkirch.eservices.testing.drafts import amelie_draft
from illkirch.eservices.testing.drafts import periscolaire
from illkirch.eservices.testing.drafts import set_draft_settings
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.site import plain_text
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.registry.interfaces import IRegistry
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.i18n import translate

import time_machine
import unittest


PUBLIC = "https://demarches.illkirch.example"
INSURANCE = "attestation-dassurance-scolaire"
VACCINES = "carnet-de-vaccination"


def insurance():
    return {"document": INSURANCE, "filename": "assurance.pdf", "data": pdf()}


class DraftsTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.service = periscolaire(self.portal)
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)


class TestStore(DraftsTestCase):
    def test_a_draft_lives_in_its_household_with_its_documents(self):
        household, draft = amelie_draft(self.portal, files=[insurance()])
        self.assertIn(draft.id, IAnnotations(household)[store.KEY])
        self.assertEqual(site_btree(store.INDEX_KEY)[draft.id], household.UID())
        self.assertGreaterEqual(len(draft.id), 20)
        self.assertFalse(hasattr(draft, "number"))
        self.assertEqual(dict(draft.answers), HALF_ANSWERS)
        self.assertEqual(draft.step, "inscription")
        (kept,) = draft.files
        self.assertEqual(
            (kept.filename, kept.content_type), ("assurance.pdf", "application/pdf")
        )
        self.assertEqual(kept.data(), pdf())
        self.assertEqual(store.drafts_of(household), [draft])
        self.assertIs(store.get(household, draft.id), draft)
        # no content item, nothing in the catalog
        self.assertNotIn(draft.id, household.objectIds())
        catalog = api.portal.get_tool("portal_catalog")
        self.assertEqual(
            len(catalog.unrestrictedSearchResults(SearchableText="Sud")), 0
        )

    def test_another_household_finds_nothing(self):
        household, draft = amelie_draft(self.portal)
        jerome = households.household_of("jerome.attente")
        self.assertIsNone(store.get(jerome, draft.id))
        self.assertEqual(store.drafts_of(jerome), [])
        login(self.portal, "agent.accueil")
        self.assertIsNone(store.current_household())
        logout()
        self.assertIsNone(store.current_household())

    def test_update_merges_the_answers_and_starts_a_new_period(self):
        household, draft = amelie_draft(self.portal)
        draft.reminded = draft.modified
        store.update(household, draft, {"answers": {"classe": "CM1"}, "step": "sante"})
        self.assertEqual(draft.answers["classe"], "CM1")
        self.assertEqual(draft.answers["ecole"], HALF_ANSWERS["ecole"])
        self.assertEqual(draft.step, "sante")
        self.assertIsNone(draft.reminded)
        store.update(household, draft, {"answers": {"ecole": ""}}, merge=False)
        self.assertEqual(dict(draft.answers), {"ecole": ""})

    def test_answers_are_bounded_not_validated(self):
        household, draft = amelie_draft(
            self.portal, answers={"classe": "pas une classe"}
        )
        self.assertEqual(draft.answers["classe"], "pas une classe")  # kept as typed
        cases = {
            "inconnue": {"inconnue": "x"},
            "allergies": {"allergies": "x" * (store.MAX_TEXT + 1)},
            "accueils": {"accueils": [{"a": 1}]},
        }
        for key, answers in cases.items():
            with self.assertRaises(store.DraftRefused) as refused:
                store.update(household, draft, {"answers": answers})
            self.assertIn(key, refused.exception.errors)
        with self.assertRaises(store.DraftRefused) as refused:
            store.update(household, draft, {"answers": ["x"]})
        self.assertIn("answers", refused.exception.errors)
        self.assertEqual(draft.answers["classe"], "pas une classe")
        # a checkbox's "on" is kept as true
        store.update(household, draft, {"answers": {"droit_image": "on"}})
        self.assertIs(draft.answers["droit_image"], True)

    def test_total_size_and_number_of_drafts_are_bounded(self):
        household, draft = amelie_draft(self.portal)
        big = "x" * (store.MAX_TEXT - 10)
        with self.assertRaises(store.DraftRefused) as refused:
            store.update(
                household,
                draft,
                {
                    "answers": {
                        "allergies": big,
                        "personne_autorisee": big,
                        "ecole": big,
                        "classe": big,
                        "date_debut": big,
                        "accueils": [big] * 3,
                    }
                },
            )
        self.assertIn("answers", refused.exception.errors)
        self.assertEqual(draft.answers["classe"], HALF_ANSWERS["classe"])
        for _index in range(store.MAX_DRAFTS - 1):
            amelie_draft(self.portal)
        with self.assertRaises(store.DraftRefused) as refused:
            amelie_draft(self.portal)
        self.assertIn("draft", refused.exception.errors)

    def test_documents_are_checked_as_a_requests(self):
        household, draft = amelie_draft(self.portal)
        fake = {"document": INSURANCE, "filename": "a.pdf", "data": b"not a pdf"}
        with self.assertRaises(store.DraftRefused) as refused:
            store.update(household, draft, {}, files=[fake])
        self.assertIn(f"document-{INSURANCE}", refused.exception.errors)
        other = {"document": "autre", "filename": "a.pdf", "data": pdf()}
        with self.assertRaises(store.DraftRefused) as refused:
            store.update(household, draft, {}, files=[other])
        self.assertIn("document-autre", refused.exception.errors)
        self.assertEqual(list(draft.files), [])
        store.update(household, draft, {}, files=[insurance()])
        (kept,) = draft.files
        store.remove_file(draft, kept.id)
        self.assertEqual(list(draft.files), [])

    def test_the_household_must_be_able_to_file(self):
        household = households.household_of("amelie.lire")
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(self.service, "retract")
        with self.assertRaises(submission.SubmissionError):
            store.create(household, self.service, {"answers": {}})

    def test_submit_files_the_request_and_deletes_the_draft(self):
        household, draft = amelie_draft(self.portal, files=[insurance()])
        with self.assertRaises(submission.SubmissionError) as refused:
            store.submit(household, draft)
        self.assertIn("date_debut", refused.exception.errors)
        self.assertIs(store.get(household, draft.id), draft)  # kept
        store.update(household, draft, {"answers": REST_OF_ANSWERS})
        vaccines = {"document": VACCINES, "filename": "v.png", "data": image("PNG")}
        request_obj = store.submit(household, draft, files=[vaccines])
        self.assertEqual(
            sorted(a.filename for a in request_obj.attachments),
            ["assurance.pdf", "v.png"],
        )
        self.assertTrue(request_obj.number)
        self.assertIsNone(store.get(household, draft.id))
        self.assertNotIn(draft.id, site_btree(store.INDEX_KEY))

    def test_a_closed_account_loses_its_drafts(self):
        from illkirch.eservices.accounts.closure import AccountClosed
        from zope.event import notify

        household, draft = amelie_draft(self.portal, files=[insurance()])
        notify(AccountClosed(household))
        self.assertEqual(store.drafts_of(household), [])
        self.assertNotIn(draft.id, site_btree(store.INDEX_KEY))


class TestExpiry(DraftsTestCase):
    def setUp(self):
        super().setUp()
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        api.portal.set_registry_record("illkirch.eservices.public_url", PUBLIC)
        self.household, self.draft = amelie_draft(self.portal, files=[insurance()])
        self.saved = self.draft.modified

    def run_task(self, days, hours=0):
        """The daily task ``days`` after the draft's save (eagerly)."""
        self.mailhost.reset()
        with time_machine.travel(
            self.saved + timedelta(days=days, hours=hours), tick=False
        ):
            counts = expiry.daily()
        mails = [
            message_from_bytes(raw, policy=policy.default)
            for raw in self.mailhost.messages
        ]
        return counts, mails

    def test_one_reminder_7_days_before_then_deleted_with_its_documents(self):
        self.assertEqual(self.run_task(22)[0], {"expired": 0, "reminded": 0})
        counts, (mail,) = self.run_task(23)
        self.assertEqual(counts, {"expired": 0, "reminded": 1})
        self.assertEqual(mail["To"], "amelie.lire@example.org")
        self.assertIn("Inscription périscolaire", mail["Subject"])
        text = plain_text(mail)
        self.assertIn(
            f"{PUBLIC}/demarches/inscription-periscolaire/@@deposer?brouillon="
            f"{self.draft.id}",
            text,
        )
        self.assertNotIn("nohost", text)
        self.assertEqual(self.run_task(24), ({"expired": 0, "reminded": 0}, []))
        self.assertIs(store.get(self.household, self.draft.id), self.draft)
        blob = self.draft.files[0].file
        counts, mails = self.run_task(30)
        self.assertEqual((counts, mails), ({"expired": 1, "reminded": 0}, []))
        self.assertIsNone(store.get(self.household, self.draft.id))
        self.assertEqual(list(self.draft.files), [])
        self.assertNotIn(self.draft.id, site_btree(store.INDEX_KEY))
        self.assertTrue(blob)  # the object lives on only in this test's hands
        self.assertEqual(self.run_task(31)[0], {"expired": 0, "reminded": 0})

    def test_a_new_save_starts_a_new_period(self):
        self.run_task(23)
        with time_machine.travel(self.saved + timedelta(days=25), tick=False):
            store.update(self.household, self.draft, {"answers": {"classe": "CM2"}})
        self.assertEqual(self.run_task(31)[0], {"expired": 0, "reminded": 0})
        self.assertEqual(self.run_task(48)[0], {"expired": 0, "reminded": 1})

    def test_the_settings(self):
        set_draft_settings(expiry=10, reminder=0)
        self.assertEqual(self.run_task(9), ({"expired": 0, "reminded": 0}, []))
        self.assertEqual(self.run_task(10)[0], {"expired": 1, "reminded": 0})

    def test_the_email_is_french(self):
        subject, body = expiry.email_text(self.draft)
        self.assertIn("sera supprimée le", translate(subject, context=self.request))
        self.assertIn("Reprenez", translate(body, context=self.request))


class TestRetention(unittest.TestCase):
    def test_drafts_are_in_the_retention_table(self):
        from illkirch.eservices.retention import periods

        table = {kind: (period, then) for kind, _t, period, then in periods.TABLE}
        self.assertEqual(
            table["drafts"],
            ({"days": 30, "setting": "draft_expiry_days"}, "deleted"),
        )


class TestUpgrade(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def test_upgrade_registers_the_settings(self):
        portal = self.layer["portal"]
        registry = getUtility(IRegistry)
        for name in ("draft_expiry_days", "draft_reminder_days"):
            del registry.records[f"illkirch.eservices.{name}"]
        setup = portal.portal_setup
        profile = "illkirch.eservices:default"
        setup.setLastVersionForProfile(profile, "1009")
        setup.upgradeProfile(profile)
        self.assertEqual(setup.getLastVersionForProfile(profile), (profile_version(),))
        self.assertEqual(registry["illkirch.eservices.draft_expiry_days"], 30)
        self.assertEqual(registry["illkirch.eservices.draft_reminder_days"], 7)
