"""The demo profile: the French FAQ and the demo accounts."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.conversation import store
from illkirch.eservices.demo import activity
from illkirch.eservices.demo.accounts import DEMO_ACCOUNTS
from illkirch.eservices.demo.accounts import create_accounts
from illkirch.eservices.demo.faq import create_faq
from illkirch.eservices.demo.faq import load_faq_data
from illkirch.eservices.demo.front_page import set_front_page
from illkirch.eservices.drafts import store as drafts
from illkirch.eservices.reuse import locker
from illkirch.eservices.reuse import prefill
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.vocabularies.document_types import document_types
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import applyProfile
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles

import unittest


class TestDemo(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def test_faq_published_with_every_question(self):
        data = load_faq_data()
        faq = self.portal["faq"]
        self.assertEqual(api.content.get_state(faq), "published")
        self.assertEqual(faq.categories, data["categories"])
        self.assertEqual(len(faq.objectIds()), len(data["questions"]))
        for question in faq.contentValues():
            self.assertEqual(api.content.get_state(question), "published")
            self.assertIn(question.category, data["categories"])
        # every category has questions, and they cover the legacy topics
        self.assertEqual([c for c, _ in faq.grouped_questions()], data["categories"])

    def test_faq_topics(self):
        titles = " ".join(q.title for q in self.portal["faq"].contentValues())
        for topic in (
            "créer mon compte",
            "identifiant",
            "modifier mon compte",
            "oublié mon mot de passe",
            "code de vérification",
            "papier",
            "pas encore validé",
            "sans compte",
            "courriels",
            "avancement",
            "factures",
            "Impossible d'ajouter",
            # the conversation, corrections, drafts and reuse (#17), the
            # official documents and their verification (#18)
            "échanger",
            "corriger",
            "reprendre plus tard",
            "Mes documents",
            "récépissé",
            "authentique",
            # FranceConnect (#20), the antivirus (#21)
            "FranceConnect",
            "analyse antivirus",
        ):
            self.assertIn(topic, titles)

    def test_faq_quotes_the_labels_of_the_pages_it_describes(self):
        """The answers about the conversation, corrections, drafts, « Mes
        documents » and the official documents quote what the pages show,
        translated as the site shows it."""
        from zope.i18n import translate

        answers = " ".join(q.answer.raw for q in self.portal["faq"].contentValues())
        answers = answers.replace("\xa0", " ")
        for msgid in (
            "heading_conversation",
            "label_message_text",
            "button_send_corrections",
            "button_save_draft",
            "heading_drafts",
            "link_resume_draft",
            "tab_documents",
            "heading_official_documents",
            "heading_payment_certificates",
            "tab_invoices",
            "heading_verify_document",
            "link_franceconnect_link",
            "heading_franceconnect_completion",
            "link_choose_password",
            "document_scan_pending",
            "flag_quarantined",
        ):
            label = translate(msgid, domain="illkirch.eservices", target_language="fr")
            self.assertNotEqual(label, msgid)
            self.assertIn(f"« {label} »", answers, msgid)

    def test_faq_uses_the_words_of_the_request_pages(self):
        """The answers about démarches quote the labels the pages show, and
        the limits the portal applies."""
        from illkirch.eservices.requests import documents
        from illkirch.eservices.requests import processing
        from zope.i18n import translate

        def french(message):
            return translate(message, target_language="fr")

        answers = " ".join(q.answer.raw for q in self.portal["faq"].contentValues())
        answers = answers.replace("\xa0", " ").lower()
        quoted = [french(title) for title in processing.STATES.values()]
        quoted += [french(processing.TRANSITIONS["resubmit"])]
        quoted += [
            translate(
                "label_by_post", domain="illkirch.eservices", target_language="fr"
            )
        ]
        for text in quoted:
            self.assertIn(f"« {text.lower()} »", answers)
        per_file, per_request = documents.limits()
        self.assertIn(f"{per_file // documents.MEGABYTE} mo par fichier", answers)
        self.assertIn(f"{per_request // documents.MEGABYTE} mo par demande", answers)

    def test_demo_services(self):
        folder = self.portal["demarches"]
        self.assertEqual(api.content.get_state(folder), "published")
        self.assertEqual(
            {s.getId(): s.concerns for s in folder.contentValues()},
            {
                "inscription-periscolaire": "child",
                "rendez-vous-passeport-cni": "adult",
                "signalement-voie-publique": "none",
                "acte-de-naissance": "none",
                "acte-de-mariage": "none",
                "acte-de-deces": "none",
            },
        )
        self.assertEqual(
            {
                s.getId(): s.civil_status_act
                for s in folder.contentValues()
                if not s.account_required
            },
            {
                "acte-de-naissance": "birth",
                "acte-de-mariage": "marriage",
                "acte-de-deces": "death",
            },
        )
        for service in folder.contentValues():
            self.assertEqual(api.content.get_state(service), "published")
            self.assertIsNotNone(api.group.get(groupname=service.agents_group))

    def test_accounts(self):
        for account in DEMO_ACCOUNTS:
            user = api.user.get(userid=account["userid"])
            self.assertIsNotNone(user, account["userid"])
            self.assertEqual(user.getUserName(), account["username"])
            self.assertEqual(user.getProperty("email"), account["email"])
            roles = api.user.get_roles(user=user)
            for role in account["roles"]:
                self.assertIn(role, roles)
        self.assertIn(
            "Agent", api.user.get_roles(user=api.user.get(userid="agent.accueil"))
        )
        self.assertIn(
            "Finance", api.user.get_roles(user=api.user.get(userid="agent.regie"))
        )
        self.assertNotIn(
            "Agent", api.user.get_roles(user=api.user.get(userid="amelie.lire"))
        )
        manager = api.user.get(userid="responsable.ville")
        self.assertIn("Supervisor", api.user.get_roles(user=manager))
        self.assertTrue(
            api.user.has_permission(
                "illkirch.eservices: View statistics", user=manager, obj=self.portal
            )
        )
        self.assertFalse(
            api.user.has_permission(
                "illkirch.eservices: Use guichet", user=manager, obj=self.portal
            )
        )

    def test_accounts_authenticate_with_their_login_name(self):
        pas = self.portal.acl_users
        for account in DEMO_ACCOUNTS:
            self.assertIsNotNone(
                pas.authenticate(
                    account["username"], account["password"], self.layer["request"]
                ),
                account["username"],
            )

    def test_front_page_links(self):
        html = self.portal.text.output_relative_to(self.portal)
        url = self.portal.absolute_url()
        self.assertIn('href="/plone/@@mon-espace"', html)
        self.assertIn(f'href="{url}/faq"', html)

    def test_idempotent(self):
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        faq = self.portal["faq"]
        faq.manage_delObjects([faq.objectIds()[0]])
        self.assertEqual(create_faq(self.portal).UID(), faq.UID())
        self.assertEqual(len(faq.objectIds()), len(load_faq_data()["questions"]) - 1)
        self.assertEqual(create_accounts(self.portal), [])
        self.assertFalse(set_front_page(self.portal, faq))


class TestDemoActivity(unittest.TestCase):
    """The ``demo-activity`` profile (#17), applied after ``demo`` by ``make
    start``: reusable document types, prefill mappings, Amélie's requests
    with a conversation, a draft and her locker."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        applyProfile(self.portal, "illkirch.eservices:demo-activity")
        self.household = household_of("amelie.lire")
        self.services = self.portal["demarches"]

    def requests(self):
        return sorted(
            (o for o in self.household.objectValues() if o.portal_type == "Request"),
            key=lambda r: r.number,
        )

    def test_reusable_types_on_the_services_documents(self):
        types = {
            (service.getId(), document.Title()): document.reusable_type
            for service in self.services.contentValues()
            for document in service.documents()
            if getattr(document, "reusable_type", None)
        }
        self.assertEqual(
            types,
            {
                (
                    "inscription-periscolaire",
                    "Attestation d'assurance scolaire",
                ): "attestation-assurance-scolaire",
                (
                    "rendez-vous-passeport-cni",
                    "Justificatif de domicile de moins d'un an",
                ): "justificatif-domicile",
                (
                    "rendez-vous-passeport-cni",
                    "Pièce d'identité actuelle",
                ): "piece-identite",
            },
        )
        self.assertLessEqual(set(types.values()), set(document_types()))

    def test_prefill_mappings_answer_from_the_household(self):
        birth = self.services["acte-de-naissance"]
        self.assertEqual(
            prefill.values(birth, self.household),
            {
                "nom": "Lire",
                "prenoms": "Amélie",
                "date_evenement": "1986-03-14",
                "adresse": "12 rue de la Poste",
                "code_postal": "67400",
                "ville": "Illkirch-Graffenstaden",
            },
        )
        # the birth act's form, opened by Amélie, starts with them
        login(self.portal, "amélie.lire")
        self.addCleanup(logout)
        request = self.layer["request"]
        request.form.clear()
        request.method = "GET"
        request["REQUEST_METHOD"] = "GET"
        view = api.content.get_view("deposer", birth, request)
        view()
        self.assertEqual(view.raw["nom"], "Lire")
        self.assertEqual(view.raw["code_postal"], "67400")
        for service_id in ("acte-de-mariage", "acte-de-deces"):
            self.assertEqual(
                set(prefill.mapping(self.services[service_id])),
                {"adresse", "complement", "code_postal", "ville"},
            )

    def test_requests_with_a_conversation(self):
        passport, periscolaire = self.requests()
        self.assertEqual(
            passport.service_uid, self.services["rendez-vous-passeport-cni"].UID()
        )
        self.assertEqual(
            periscolaire.service_uid, self.services["inscription-periscolaire"].UID()
        )
        everything = store.messages(passport, store.AGENT)
        self.assertEqual(
            [(m.author, m.side, m.internal) for m in everything],
            [
                ("amelie.lire", store.CITIZEN, False),
                ("agent.accueil", store.AGENT, False),
                ("agent.accueil", store.AGENT, True),
            ],
        )
        # the citizen sees her question and the answer, not the note; the
        # answer is unread (the badges of « Mon espace »); the agent read all
        self.assertEqual(
            [m.text for m in store.messages(passport, store.CITIZEN)],
            [activity.QUESTION, activity.ANSWER],
        )
        self.assertEqual(
            [m.text for m in store.unread(passport, "amelie.lire", store.CITIZEN)],
            [activity.ANSWER],
        )
        self.assertEqual(store.unread(passport, "agent.accueil", store.AGENT), [])
        self.assertEqual(store.messages(periscolaire), [])

    def test_a_draft_of_amelie(self):
        [draft] = drafts.drafts_of(self.household)
        self.assertEqual(
            drafts.service_of(draft), self.services["inscription-periscolaire"]
        )
        self.assertEqual(dict(draft.answers), activity.DRAFT_ANSWERS)
        self.assertEqual(draft.step, "inscription")
        self.assertEqual(
            draft.member,
            next(
                p for p in self.household.persons() if p.member_type == "child"
            ).getId(),
        )

    def test_the_locker_holds_the_requests_documents(self):
        entries = locker.entries(self.household)
        self.assertEqual(
            sorted((e.type, e.filename) for e in entries),
            [
                ("attestation-assurance-scolaire", "assurance-scolaire.pdf"),
                ("justificatif-domicile", "facture-energie.pdf"),
                ("piece-identite", "carte-identite.pdf"),
            ],
        )
        for entry in entries:
            self.assertTrue(locker.is_valid(entry))
            self.assertTrue(entry.file.data.startswith(b"%PDF-"))

    def test_idempotent(self):
        before = [r.number for r in self.requests()]
        activity.install_activity()
        self.assertEqual([r.number for r in self.requests()], before)
        self.assertEqual(len(drafts.drafts_of(self.household)), 1)
        self.assertEqual(len(locker.entries(self.household)), 3)
        self.assertEqual(len(store.messages(self.requests()[0])), 3)
        self.assertEqual(activity.set_reusable_types(self.portal), [])
        passport = self.services["rendez-vous-passeport-cni"]
        self.assertEqual(
            [d.Title() for d in passport.documents()].count(
                "Pièce d'identité actuelle"
            ),
            1,
        )
