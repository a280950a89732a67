"""Corrections in place (#17): the agent's ask (which answers, which
documents), the citizen's correction with the rules of a filing, the
history of old and new values, the return to the agents and their email."""

from email import message_from_bytes
from email import policy
from illkirch.eservices import history
from illkirch.eservices.corrections import asks
from illkirch.eservices.requests import digest
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import processing
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.corrections import ASK_MESSAGE
from illkirch.eservices.testing.corrections import VACCINS
from illkirch.eservices.testing.corrections import ask_corrections
from illkirch.eservices.testing.corrections import file_periscolaire
from illkirch.eservices.testing.files import HTML
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.site import plain_text
from illkirch.eservices.testing.site import use_mock_mailhost
from illkirch.eservices.transitions import TransitionRefused
from plone.app.testing import login
from plone.app.testing import logout
from zope.i18n import translate

import unittest


def french(message):
    return translate(message, target_language="fr")


class TestCorrections(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.request_obj = file_periscolaire(self.portal)

    def sent(self):
        return [
            message_from_bytes(m, policy=policy.default) for m in self.mailhost.messages
        ]

    def errors(self, call, *args, **kwargs):
        with self.assertRaises(asks.CorrectionError) as info:
            call(*args, **kwargs)
        return {k: french(v) for k, v in info.exception.errors.items()}

    def correct(self, answers, files=(), **kwargs):
        login(self.portal, "amélie.lire")
        return asks.correct(self.request_obj, answers, list(files), **kwargs)

    # the ask ---------------------------------------------------------------

    def test_the_agent_asks_for_answers_and_documents(self):
        ask = ask_corrections(
            self.portal, self.request_obj, ("classe", "date_debut", "classe"), [VACCINS]
        )
        self.assertEqual(processing.state(self.request_obj), "incomplete")
        # deduplicated, in the form's order
        self.assertEqual(ask["fields"], ["classe", "date_debut"])
        self.assertEqual(ask["documents"], [VACCINS])
        self.assertEqual(ask["message"], ASK_MESSAGE)
        self.assertEqual(ask["actor"], "agent.accueil")
        self.assertTrue(ask["time"])
        last = history.entries(self.request_obj)[-1]
        self.assertEqual(last["action"], "transition_ask_documents")
        self.assertEqual(last["text"], ASK_MESSAGE)
        # the citizen is emailed with the message, as before
        self.assertIn(ASK_MESSAGE, plain_text(self.sent()[-1]))

    def test_unknown_names_and_no_message_are_refused_nothing_changes(self):
        login(self.portal, "agent.accueil")
        errors = self.errors(
            asks.ask, self.request_obj, ["nom_inconnu"], ["piece-inconnue"], ""
        )
        self.assertEqual(
            errors,
            {
                "fields": "Cette demande n'a pas de question « nom_inconnu ».",
                "documents": "Cette démarche ne demande pas de pièce "
                "« piece-inconnue ».",
                "message": french(processing.MESSAGE_REQUIRED["ask_documents"]),
            },
        )
        errors = self.errors(asks.ask, self.request_obj, "classe", [], "Message")
        self.assertEqual(errors, {"fields": "Donnez une liste de noms."})
        self.assertEqual(processing.state(self.request_obj), "submitted")
        self.assertIsNone(asks.open_ask(self.request_obj))

    def test_a_free_message_keeps_todays_behaviour(self):
        ask = ask_corrections(self.portal, self.request_obj, (), ())
        self.assertIsNone(ask)
        self.assertEqual(processing.state(self.request_obj), "incomplete")
        login(self.portal, "amélie.lire")
        documents.add(
            self.request_obj,
            [{"document": VACCINS, "filename": "p2.pdf", "data": pdf()}],
        )
        processing.fire(self.request_obj, "resubmit", "Voici la page 2.")
        self.assertEqual(processing.state(self.request_obj), "submitted")

    def test_no_ticks_for_a_request_without_account(self):
        from illkirch.eservices.accounts import captcha
        from illkirch.eservices.accounts import registration
        from illkirch.eservices.requests import submission
        from illkirch.eservices.testing.requests import BIRTH_ANSWERS
        from illkirch.eservices.testing.requests import PAUL_MARTIN

        logout()
        token = registration.new_captcha()
        request_obj = submission.submit(
            self.portal["demarches"]["acte-de-naissance"],
            dict(BIRTH_ANSWERS),
            requester=PAUL_MARTIN,
            captcha={
                "token": token,
                "answer": captcha.answer_for(registration.captcha_secret(), token),
            },
        )
        login(self.portal, "agent.accueil")
        errors = self.errors(asks.ask, request_obj, ["nom"], [], "Le nom ?")
        self.assertEqual(
            errors,
            {
                "fields": "Ce demandeur n'a pas de compte et ne peut pas corriger "
                "sa demande en ligne : précisez ce qui manque dans le message."
            },
        )
        self.assertIsNone(asks.ask(request_obj, [], [], "Le nom ?"))
        self.assertEqual(processing.state(request_obj), "incomplete")

    def test_only_the_agents_of_the_group_ask(self):
        login(self.portal, "amélie.lire")
        with self.assertRaises(TransitionRefused):
            asks.ask(self.request_obj, ["classe"], [], "Message")
        self.assertEqual(processing.state(self.request_obj), "submitted")

    # the correction --------------------------------------------------------

    def test_the_citizen_corrects_history_keeps_old_and_new(self):
        ask_corrections(self.portal, self.request_obj)
        before = {a["name"]: dict(a) for a in self.request_obj.answers}
        old_file = next(
            a for a in self.request_obj.attachments if a.document == VACCINS
        )
        self.mailhost.reset()
        changes = self.correct(
            {"date_debut": "2027-09-15"},
            [{"document": VACCINS, "filename": "carnet-p2.pdf", "data": pdf()}],
            comment="Voici la bonne date.",
        )
        self.assertEqual(
            changes,
            [
                "À partir du : 01/09/2027 → 15/09/2027",
                "Carnet de vaccination : vaccins.png → carnet-p2.pdf",
            ],
        )
        # the workflow's resubmit: « En cours »; the ask is closed
        self.assertEqual(processing.state(self.request_obj), "submitted")
        self.assertIsNone(asks.open_ask(self.request_obj))
        # only the corrected answer changed, in the form's order
        after = {a["name"]: a for a in self.request_obj.answers}
        self.assertEqual(after["date_debut"]["value"], "2027-09-15")
        self.assertEqual(after["date_debut"]["display"], "15/09/2027")
        self.assertEqual([a["name"] for a in self.request_obj.answers], list(before))
        for name in before:
            if name != "date_debut":
                self.assertEqual(after[name], before[name])
        # the old file of the document is replaced (its name in the history)
        files = [(a.document, a.filename) for a in self.request_obj.attachments]
        self.assertIn((VACCINS, "carnet-p2.pdf"), files)
        self.assertNotIn(old_file, list(self.request_obj.attachments))
        entries = history.entries(self.request_obj)
        corrected = [e for e in entries if e["action"] == "answer_corrected"]
        self.assertEqual(len(corrected), 1)
        self.assertEqual(corrected[0]["actor"], "amelie.lire")
        self.assertEqual(corrected[0]["text"], "À partir du : 01/09/2027 → 15/09/2027")
        self.assertTrue(corrected[0]["time"])
        replaced = [e for e in entries if e["action"] == "document_replaced"]
        self.assertEqual(
            replaced[0]["text"], "Carnet de vaccination : vaccins.png → carnet-p2.pdf"
        )
        self.assertEqual(entries[-1]["action"], "transition_resubmit")
        self.assertEqual(entries[-1]["text"], "Voici la bonne date.")
        # the agents of the group are emailed (not assigned), without values
        to_agent = [
            m for m in self.sent() if m["To"] == "agent.accueil@illkirch.example"
        ]
        self.assertEqual(len(to_agent), 1)
        self.assertIn(self.request_obj.number, to_agent[0]["Subject"])
        self.assertIn("corrigée", to_agent[0]["Subject"])
        body = plain_text(to_agent[0])
        self.assertIn("À partir du, Carnet de vaccination", body)
        self.assertIn(
            f"http://nohost/plone/{'/'.join(self.request_obj.getPhysicalPath()[2:])}",
            body,
        )
        self.assertNotIn("15/09/2027", body)

    def test_wrong_values_unasked_names_missing_files_nothing_stored(self):
        ask_corrections(self.portal, self.request_obj)
        before = [dict(a) for a in self.request_obj.answers]
        files_before = [a.id for a in self.request_obj.attachments]
        entries_before = len(history.entries(self.request_obj))
        login(self.portal, "amélie.lire")
        errors = self.errors(
            asks.correct,
            self.request_obj,
            {"date_debut": "demain", "classe": "CM2"},
            [
                {
                    "document": "attestation-dassurance-scolaire",
                    "filename": "a.pdf",
                    "data": pdf(),
                }
            ],
        )
        self.assertEqual(
            errors,
            {
                "date_debut": "Saisissez une date au format JJ/MM/AAAA.",
                "classe": "Cette réponse n'était pas à corriger : elle ne peut "
                "pas être modifiée.",
                "document-attestation-dassurance-scolaire": "Cette pièce n'était "
                "pas à remplacer.",
                f"document-{VACCINS}": "Joignez le nouveau fichier de cette pièce.",
            },
        )
        errors = self.errors(
            asks.correct,
            self.request_obj,
            {"date_debut": ""},
            [{"document": VACCINS, "filename": "page.html", "data": HTML}],
        )
        self.assertEqual(errors["date_debut"], "Cette réponse est obligatoire.")
        self.assertIn(f"document-{VACCINS}", errors)
        self.assertEqual(self.request_obj.answers, before)
        self.assertEqual([a.id for a in self.request_obj.attachments], files_before)
        self.assertEqual(len(history.entries(self.request_obj)), entries_before)
        self.assertEqual(processing.state(self.request_obj), "incomplete")
        self.assertIsNotNone(asks.open_ask(self.request_obj))

    def test_html_form_values(self):
        ask_corrections(self.portal, self.request_obj, ("accueils", "droit_image"), ())
        self.correct({"accueils": ["Accueil du soir"], "droit_image": None}, html=True)
        after = {a["name"]: a for a in self.request_obj.answers}
        self.assertEqual(after["accueils"]["value"], ["Accueil du soir"])
        self.assertEqual(after["droit_image"]["display"], "Non")
        entries = [
            e["text"]
            for e in history.entries(self.request_obj)
            if e["action"] == "answer_corrected"
        ]
        self.assertEqual(
            entries,
            [
                "Temps d'accueil souhaités : Restauration scolaire, Accueil du "
                "soir → Accueil du soir",
                "J'autorise la prise de photos de mon enfant lors des activités "
                ": Oui → Non",
            ],
        )

    def test_who_and_when_may_correct(self):
        # no ask: nothing to correct
        login(self.portal, "amélie.lire")
        errors = self.errors(asks.correct, self.request_obj, {}, [])
        self.assertEqual(list(errors), ["corrections"])
        ask_corrections(self.portal, self.request_obj, ("classe",), ())
        # the agent does not correct for the citizen
        login(self.portal, "agent.accueil")
        errors = self.errors(asks.correct, self.request_obj, {"classe": "CM1"}, [])
        self.assertEqual(list(errors), ["corrections"])
        # another household, anonymous: not even the request
        from AccessControl import Unauthorized

        login(self.portal, "jérôme.attente")
        with self.assertRaises(Unauthorized):
            asks.correct(self.request_obj, {"classe": "CM1"}, [])
        logout()
        with self.assertRaises(Unauthorized):
            asks.correct(self.request_obj, {"classe": "CM1"}, [])
        # with an open ask, the plain « I have completed » is refused
        login(self.portal, "amélie.lire")
        with self.assertRaises(TransitionRefused) as info:
            processing.fire(self.request_obj, "resubmit")
        self.assertIn("formulaire de correction", str(info.exception))
        self.assertEqual(processing.state(self.request_obj), "incomplete")

    def test_the_assignee_only_and_the_digest_preference(self):
        login(self.portal, "agent.accueil")
        self.request_obj.assignee = "agent.accueil"
        ask_corrections(self.portal, self.request_obj, ("classe",), ())
        digest.set_wanted("agent.accueil", True)
        self.mailhost.reset()
        self.correct({"classe": "CM1"})
        # the assignee asked for the digest: told there, not at once (only
        # the citizen's usual email of the new status)
        self.assertEqual([m["To"] for m in self.sent()], ["amelie.lire@example.org"])
        self.assertEqual(processing.state(self.request_obj), "submitted")


class TestCorrectionPages(unittest.TestCase):
    """The request page's forms route the ticks and the correction to the
    domain (CSRF token required)."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        from illkirch.eservices.interfaces import IIllkirchEservicesLayer
        from zope.interface import alsoProvides

        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.request_obj = file_periscolaire(self.portal)

    def post(self, view, **form):
        from plone.protect.authenticator import createToken

        self.request.method = "POST"
        self.request.form.clear()
        self.request.form.update(form, _authenticator=createToken())
        return self.request_obj.restrictedTraverse(view)()

    def test_ticks_count_only_with_ask_documents(self):
        login(self.portal, "agent.accueil")
        self.post(
            "@@changer-statut",
            transition="mark_complete",
            correct_fields=["classe"],
            correct_documents=[VACCINS],
        )
        self.assertEqual(processing.state(self.request_obj), "complete")
        self.assertIsNone(asks.open_ask(self.request_obj))

    def test_the_agent_ticks_the_citizen_sees_only_those(self):
        login(self.portal, "agent.accueil")
        html = self.request_obj.restrictedTraverse("@@view")()
        self.assertIn("Que doit corriger l'usager ?", html)
        self.post(
            "@@changer-statut",
            transition="ask_documents",
            correct_fields=["classe"],
            correct_documents=[VACCINS],
            comment=ASK_MESSAGE,
        )
        self.assertEqual(asks.open_ask(self.request_obj)["fields"], ["classe"])
        self.request.method = "GET"
        html = self.request_obj.restrictedTraverse("@@view")()
        self.assertIn("Corrections demandées à l'usager", html)
        login(self.portal, "amélie.lire")
        html = self.request_obj.restrictedTraverse("@@view")()
        self.assertIn(ASK_MESSAGE, html)
        self.assertIn('name="a.classe"', html)
        self.assertIn(f'name="doc.{VACCINS}"', html)
        self.assertNotIn('name="a.date_debut"', html)
        self.assertNotIn('name="doc.attestation-dassurance-scolaire"', html)
        self.assertNotIn("Que doit corriger l'usager ?", html)
        self.assertNotIn("J'ai complété ma demande", html)
        # a wrong value: the page again with the errors, nothing stored
        before = [dict(a) for a in self.request_obj.answers]
        html = self.post("@@corriger", **{"a.classe": "Terminale"})
        self.assertIn("error-summary", html)
        self.assertIn("Choisissez l'une des réponses proposées.", html)
        self.assertIn("Joignez le nouveau fichier de cette pièce.", html)
        self.assertEqual(self.request_obj.answers, before)
        self.assertEqual(processing.state(self.request_obj), "incomplete")

    def test_sent_twice_goes_back_to_the_page(self):
        ask_corrections(self.portal, self.request_obj, ("classe",), ())
        login(self.portal, "amélie.lire")
        self.post("@@corriger", **{"a.classe": "CM1"})
        self.assertEqual(processing.state(self.request_obj), "submitted")
        self.assertEqual(
            {a["name"]: a["value"] for a in self.request_obj.answers}["classe"], "CM1"
        )
        result = self.post("@@corriger", **{"a.classe": "CM2"})
        self.assertEqual(result, "")
        self.assertEqual(
            self.request.response.getHeader("Location"), self.request_obj.absolute_url()
        )
        self.assertEqual(
            {a["name"]: a["value"] for a in self.request_obj.answers}["classe"], "CM1"
        )
