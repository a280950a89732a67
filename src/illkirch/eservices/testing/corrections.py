"""Test helpers of the corrections in place (#17): a periscolaire request of
Amélie's household waiting for corrections."""

from illkirch.eservices.accounts import households
from illkirch.eservices.corrections import asks
from illkirch.eservices.requests import submission
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
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
