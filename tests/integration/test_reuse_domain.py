"""« Dites-le-nous une fois » (#17): answers prefilled from the household
(reuse/prefill.py), the document types (a registry setting), the document
locker filled when a request is submitted and reused by the next one
(reuse/locker.py), its validity, its purge and its deletion."""

from datetime import timedelta
from illkirch.eservices.accounts import households
from illkirch.eservices.interfaces import DEFAULT_DOCUMENT_TYPES
from illkirch.eservices.interfaces import IEservicesSettings
from illkirch.eservices.requests import submission
from illkirch.eservices.reuse import locker
from illkirch.eservices.reuse import prefill
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.profile import profile_version
from illkirch.eservices.testing.reuse import AMELIE_PREFILL
from illkirch.eservices.testing.reuse import LEO_PREFILL
from illkirch.eservices.testing.reuse import MAPPING
from illkirch.eservices.testing.reuse import PHOTO
from illkirch.eservices.testing.reuse import PROOF
from illkirch.eservices.testing.reuse import PROOF_TITLE
from illkirch.eservices.testing.reuse import answers
from illkirch.eservices.testing.reuse import create_service
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.registry.interfaces import IRegistry
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.i18n import translate
from zope.schema import ValidationError

import unittest


def french(message):
    return translate(message, target_language="fr")


class ReuseTestCase(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.service = create_service(self.portal, MAPPING)
        self.amelie = households.household_of("amelie.lire")
        self.leo = next(p for p in self.amelie.persons() if p.member_type == "child")
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)

    def file(self, files, member=None):
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        return submission.submit(
            self.service,
            answers(),
            member_id=member or self.leo.getId(),
            files=files,
        )


class TestPrefill(ReuseTestCase):
    def test_values_of_the_household(self):
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        self.assertEqual(prefill.values(self.service, self.amelie), AMELIE_PREFILL)
        self.assertEqual(
            prefill.values(self.service, self.amelie, self.leo),
            dict(AMELIE_PREFILL, **LEO_PREFILL),
        )
        self.assertEqual(
            prefill.member_values(self.service, self.amelie, self.leo), LEO_PREFILL
        )
        self.assertEqual(prefill.values(self.service, None), {})

    def test_prefilled_values_are_valid_answers(self):
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        raw = dict(
            prefill.values(self.service, self.amelie, self.leo), sejour="Un mois"
        )
        request_obj = submission.submit(
            self.service,
            raw,
            member_id=self.leo.getId(),
            files=[{"document": PROOF, "filename": "edf.pdf", "data": pdf()}],
            html=True,
        )
        stored = {a["name"]: a["value"] for a in request_obj.answers}
        self.assertEqual(stored["naissance"], "1986-03-14")
        self.assertEqual(stored["enfant_prenom"], "Léo")

    def test_an_unmapped_or_removed_question_is_not_prefilled(self):
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        prefill.set_mapping(self.service, {"nom": "", "telephone": None})
        values = prefill.values(self.service, self.amelie)
        self.assertNotIn("nom", values)
        self.assertNotIn("telephone", values)
        self.assertEqual(values["prenom"], "Amélie")

    def test_the_mapping_refuses_what_cannot_answer(self):
        with self.assertRaises(prefill.PrefillError) as info:
            prefill.set_mapping(
                self.service,
                {
                    "naissance": "holder_last_name",
                    "nom": "holder_birth_date",
                    "sejour": "city",
                    "inconnue": "city",
                    "prenom": "shoe_size",
                    "adresse": "city",
                },
            )
        errors = {k: french(v) for k, v in info.exception.errors.items()}
        self.assertEqual(
            errors,
            {
                "naissance": "Une question de type date ne peut être préremplie "
                "que par une date (de naissance).",
                "nom": "Une date ne peut préremplir qu'une question de type date.",
                "sejour": "Ce type de question (choix, nombres, oui ou non) ne "
                "peut pas être prérempli.",
                "inconnue": "Le formulaire de la démarche n'a pas cette question.",
                "prenom": "Choisissez l'une des données du foyer proposées.",
            },
        )
        # nothing stored: not even the right « adresse »
        self.assertEqual(prefill.mapping(self.service), MAPPING)

    def test_member_data_only_for_a_service_concerning_a_member(self):
        signalement = self.portal["demarches"]["signalement-voie-publique"]
        with self.assertRaises(prefill.PrefillError) as info:
            prefill.set_mapping(signalement, {"adresse": "member_last_name"})
        self.assertIn(
            "ne concerne aucun membre", french(info.exception.errors["adresse"])
        )
        prefill.set_mapping(signalement, {"adresse": "address"})
        self.assertEqual(prefill.mapping(signalement), {"adresse": "address"})
        self.assertNotIn(
            "member_last_name",
            [
                s.id
                for s in prefill.sources_for(
                    signalement,
                    dict(prefill.prefillable_questions(signalement))["adresse"],
                )
            ],
        )


class TestWizardPrefill(ReuseTestCase):
    def wizard(self, form=None, method="GET"):
        request = self.request
        request.form.clear()
        request.form.update(form or {})
        request.method = method
        request["REQUEST_METHOD"] = method
        view = api.content.get_view("deposer", self.service, request)
        view()
        return view

    def test_the_first_page_carries_the_household_answers(self):
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        view = self.wizard()
        for name, value in AMELIE_PREFILL.items():
            self.assertEqual(view.raw[name], value, name)
        self.assertNotIn("enfant_prenom", view.raw)
        # what the form carries wins over the household
        view = self.wizard({"a.nom": "Autre"})
        self.assertEqual(view.raw["nom"], "Autre")

    def test_choosing_the_member_fills_its_identity(self):
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        from plone.protect.authenticator import createToken

        view = self.wizard(
            {
                "step": "membre",
                "member": self.leo.getId(),
                "action": "next",
                "_authenticator": createToken(),
                "a.enfant_prenom": "Ancien",
            },
            method="POST",
        )
        self.assertEqual(view.raw["enfant_prenom"], "Léo")
        self.assertEqual(view.raw["enfant_naissance"], "2016-09-21")

    def test_an_agent_without_household_gets_nothing(self):
        login(self.portal, "agent.accueil")
        self.addCleanup(logout)
        self.assertEqual(prefill.values(self.service, None), {})


class TestDocumentTypes(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def test_defaults_and_vocabulary(self):
        from illkirch.eservices.vocabularies.document_types import document_types

        types = document_types()
        self.assertEqual(types["justificatif-domicile"]["months"], 3)
        self.assertEqual(types["livret-famille"]["months"], 120)
        self.assertEqual(types["piece-identite"]["months"], 120)
        self.assertEqual(types["avis-imposition"]["months"], 12)

    def test_french_validation_of_the_setting(self):
        field = IEservicesSettings["document_types"]
        field.validate(["a-b|Un titre|6"])
        cases = {
            "Ligne 2 (« bad » )": ["a|A|1", "bad"],
            "Ligne 1 (« Majuscule|A|3 »)": ["Majuscule|A|3"],
            "Ligne 1 (« a|A|0 »)": ["a|A|0"],
            "Ligne 1 (« a||3 »)": ["a||3"],
            "Ligne 2 : l'identifiant « a » est déjà utilisé": ["a|A|3", "a|B|4"],
        }
        for expected, lines in cases.items():
            with self.assertRaises(ValidationError) as info:
                field.validate(lines)
            text = french(info.exception.doc())
            self.assertIn(expected.replace(" )", ")"), text, lines)

    def test_upgrade_registers_the_record(self):
        registry = getUtility(IRegistry)
        del registry.records["illkirch.eservices.document_types"]
        self.assertIsNone(
            api.portal.get_registry_record(
                "illkirch.eservices.document_types", default=None
            )
        )
        setup = self.layer["portal"].portal_setup
        profile = "illkirch.eservices:default"
        setup.setLastVersionForProfile(profile, "1009")
        setup.upgradeProfile(profile)
        self.assertEqual(setup.getLastVersionForProfile(profile), (profile_version(),))
        self.assertEqual(
            api.portal.get_registry_record("illkirch.eservices.document_types"),
            DEFAULT_DOCUMENT_TYPES,
        )


class TestLocker(ReuseTestCase):
    def proof(self, data=None):
        return {"document": PROOF, "filename": "edf.pdf", "data": data or pdf()}

    def test_a_typed_document_enters_the_locker(self):
        request_obj = self.file(
            [
                self.proof(),
                {"document": PHOTO, "filename": "p.png", "data": image("PNG")},
            ]
        )
        kept = locker.entries(self.amelie)
        self.assertEqual(len(kept), 1)  # not the photo: no type
        info = locker.entry_info(kept[0])
        self.assertEqual(info["type"], "justificatif-domicile")
        self.assertEqual(info["type_title"], "Justificatif de domicile")
        self.assertEqual(info["title"], PROOF_TITLE)
        self.assertEqual(info["filename"], "edf.pdf")
        self.assertEqual(info["content_type"], "application/pdf")
        self.assertEqual(info["request_number"], request_obj.number)
        self.assertEqual(info["given"], locker.today().isoformat())
        self.assertEqual(
            info["valid_until"], locker.add_months(locker.today(), 3).isoformat()
        )
        self.assertEqual(kept[0].file.data, pdf())
        # its own copy: not the request's blob
        self.assertIsNot(kept[0].file, request_obj.attachments[0].file)

    def test_reused_in_the_next_request(self):
        self.file([self.proof()])
        entry = locker.entries(self.amelie)[0]
        known = {d.getId(): d for d in self.service.documents()}
        files, errors = locker.files(self.amelie, [(PROOF, entry.id)], known)
        self.assertEqual(errors, {})
        second = self.file(files)
        attachment = second.attachments[0]
        self.assertEqual(attachment.document, PROOF)
        self.assertEqual(attachment.filename, "edf.pdf")
        self.assertEqual(attachment.file.data, pdf())
        self.assertEqual(len(locker.entries(self.amelie)), 1)  # not twice

    def test_the_same_file_given_again_is_kept_once(self):
        self.file([self.proof()])
        self.file([self.proof()])
        self.assertEqual(len(locker.entries(self.amelie)), 1)

    def test_a_wrong_or_foreign_entry_is_refused(self):
        self.file([self.proof()])
        entry = locker.entries(self.amelie)[0]
        known = {d.getId(): d for d in self.service.documents()}
        jerome = households.household_of("jerome.attente")
        files, errors = locker.files(jerome, [(PROOF, entry.id)], known)
        self.assertEqual(files, [])
        self.assertIn("plus dans vos documents", french(errors[f"document-{PROOF}"]))
        files, errors = locker.files(self.amelie, [(PHOTO, entry.id)], known)
        self.assertEqual(files, [])
        self.assertIn("pas du type demandé", french(errors[f"document-{PHOTO}"]))

    def test_validity_and_purge(self):
        self.file([self.proof()])
        entry = locker.entries(self.amelie)[0]
        until = locker.valid_until(entry)
        self.assertEqual(len(locker.entries(self.amelie, on=until)), 1)
        self.assertEqual(locker.entries(self.amelie, on=until + timedelta(days=1)), [])
        # given long ago: neither listed nor offered nor downloadable
        entry.given = locker.today() - timedelta(days=200)
        self.assertEqual(locker.entries(self.amelie), [])
        self.assertIsNone(locker.get(self.amelie, entry.id))
        self.assertEqual(locker.offered(self.amelie, self.service[PROOF]), [])
        # still stored until the daily purge, which deletes it once
        self.assertIn(entry.id, IAnnotations(self.amelie)[locker.LOCKER_KEY])
        self.assertEqual(locker.purge(), 1)
        self.assertEqual(locker.purge(), 0)
        self.assertNotIn(entry.id, IAnnotations(self.amelie)[locker.LOCKER_KEY])

    def test_a_longer_validity_applies_to_what_is_kept(self):
        self.file([self.proof()])
        entry = locker.entries(self.amelie)[0]
        entry.given = locker.today() - timedelta(days=200)
        api.portal.set_registry_record(
            "illkirch.eservices.document_types",
            ["justificatif-domicile|Justificatif de domicile|12"],
        )
        self.assertEqual(len(locker.entries(self.amelie)), 1)

    def test_deleting_keeps_the_request_document(self):
        request_obj = self.file([self.proof()])
        entry = locker.entries(self.amelie)[0]
        self.assertTrue(locker.delete(self.amelie, entry.id))
        self.assertFalse(locker.delete(self.amelie, entry.id))
        self.assertEqual(locker.entries(self.amelie), [])
        self.assertEqual(request_obj.attachments[0].file.data, pdf())

    def test_deleting_the_request_keeps_the_locker_copy(self):
        request_obj = self.file([self.proof()])
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(request_obj, check_linkintegrity=False)
        entry = locker.entries(self.amelie)[0]
        self.assertEqual(entry.file.data, pdf())

    def test_closing_the_account_empties_the_locker(self):
        from illkirch.eservices.accounts import closure

        self.file([self.proof()])
        self.assertEqual(len(locker.entries(self.amelie)), 1)
        logout()
        with api.env.adopt_roles(["Manager"]):
            closure.anonymise(self.amelie)
        self.assertNotIn(locker.LOCKER_KEY, IAnnotations(self.amelie))


class TestEditorsScreens(ReuseTestCase):
    def render(self, name, context, form=None, method="GET"):
        request = self.request
        request.form.clear()
        request.form.update(form or {})
        request.method = method
        request["REQUEST_METHOD"] = method
        return api.content.get_view(name, context, request)()

    def test_document_edit_form_offers_the_types(self):
        login(self.portal, "redacteur")
        self.addCleanup(logout)
        html = self.render("edit", self.service[PROOF])
        self.assertIn("Type de document réutilisable", html)
        self.assertIn('value="livret-famille"', html)
        self.assertIn("Livret de famille", html)

    def test_settings_show_the_types(self):
        with api.env.adopt_roles(["Manager"]):
            html = self.render("eservices-settings", self.portal)
        self.assertIn("Types de documents réutilisables", html)
        self.assertIn("justificatif-domicile|Justificatif de domicile|3", html)

    def test_prefill_page_refuses_a_forged_source(self):
        from plone.protect.authenticator import createToken

        login(self.portal, "redacteur")
        self.addCleanup(logout)
        html = self.render("preremplissage", self.service)
        self.assertIn("Titulaire du compte : date de naissance", html)
        html = self.render(
            "preremplissage",
            self.service,
            {"_authenticator": createToken(), "source.naissance": "city"},
            method="POST",
        )
        self.assertIn(
            "Une question de type date ne peut être préremplie que par une date",
            html,
        )
        self.assertEqual(prefill.mapping(self.service), MAPPING)

    def test_prefill_page_is_for_the_service_editors(self):
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        self.assertFalse(
            api.user.has_permission("Modify portal content", obj=self.service)
        )
        view = api.content.get_view("view", self.service, self.request)
        self.assertIsNone(view.prefill_url())
