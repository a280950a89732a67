"""Test helpers of the corrections in place (#17): a periscolaire request of
Amélie's household waiting for corrections."""

from illkirch.eservices.accounts import households
from illkirch.eservices.corrections import asks
from illkirch.eservices.requests import submission
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.sessions import rest_session
from plone.app.testing import login


ASSURANCE = "attestation-dassurance-scolaire"
VACCINS = "carnet-de-vaccination"
ASK_MESSAGE = "Merci de corriger la date et de joindre la page 2 du carnet."


def file_periscolaire(portal):
    """File « Inscription périscolaire » for Amélie's child, as Amélie
    (integration layers): the Request."""
    login(portal, "amélie.lire")
    child = next(
        p
        for p in households.household_of("amelie.lire").persons()
        if p.member_type == "child"
    )
    return submission.submit(
        portal["demarches"]["inscription-periscolaire"],
        dict(PERISCOLAIRE_ANSWERS),
        member_id=child.getId(),
        files=[
            {"document": ASSURANCE, "filename": "assurance.pdf", "data": pdf()},
            {"document": VACCINS, "filename": "vaccins.png", "data": image("PNG")},
        ],
    )


def ask_corrections(portal, request_obj, fields=("date_debut",), docs=(VACCINS,)):
    """As agent.accueil: ask to correct ``fields`` and ``docs``."""
    login(portal, "agent.accueil")
    return asks.ask(request_obj, list(fields), list(docs), ASK_MESSAGE)


class FiledOverHTTP:
    """Mixed into the HTTP tests of the corrections (a functional layer):
    ``setUp`` has Amélie file a periscolaire request over REST
    (``self.request_url``); ``self.amelie`` and ``self.agent`` are REST
    sessions, ``self.session(account)`` opens another (anonymous without
    ``account``), closed at the test's end."""

    def setUp(self):
        self.url = self.layer["portal"].absolute_url()
        child = next(
            p
            for p in households.household_of("amelie.lire").persons()
            if p.member_type == "child"
        )
        self.amelie = self.session(AMELIE)
        self.agent = self.session(AGENT)
        response = self.amelie.post(
            f"{self.url}/@requests", json=periscolaire_filing(child.getId())
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.request_url = response.json()["@id"]

    def session(self, account=None):
        session = rest_session(self.url, *(account or ()))
        self.addCleanup(session.close)
        return session
