"""The demo profile: the French FAQ and the demo accounts."""

from illkirch.eservices.demo.accounts import DEMO_ACCOUNTS
from illkirch.eservices.demo.accounts import create_accounts
from illkirch.eservices.demo.faq import create_faq
from illkirch.eservices.demo.faq import load_faq_data
from illkirch.eservices.demo.front_page import set_front_page
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import TEST_USER_ID
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
        ):
            self.assertIn(topic, titles)

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
