"""Test helpers of requests: answers to the demo services, and a test-only
view of the request numbering (registered by the test layers only, never by
configure.zcml)."""

from illkirch.eservices.requests.numbering import next_number
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides

import base64


# Valid answers to the demo services (demo/services.py).
PERISCOLAIRE_ANSWERS = {
    "ecole": "École élémentaire Sud",
    "classe": "CE1",
    "accueils": ["Restauration scolaire", "Accueil du soir"],
    "date_debut": "2027-09-01",
    "droit_image": True,
}
# The required answers only, one « accueil » (the REST filings).
PERISCOLAIRE_REQUIRED_ANSWERS = {
    "ecole": "École élémentaire Sud",
    "classe": "CE1",
    "accueils": ["Restauration scolaire"],
    "date_debut": "2027-09-01",
}
SIGNALEMENT_ANSWERS = {
    "nature": "Dépôt sauvage",
    "description": "Des sacs au pied de l'arbre",
    "adresse": "12 rue du Général Leclerc",
}
# Another report, for the tests that file many at once.
STREETLIGHT_ANSWERS = {
    "nature": "Éclairage public en panne",
    "description": "Le lampadaire ne s'allume plus.",
    "adresse": "3 allée des Tilleuls",
}
PASSPORT_ANSWERS = {
    "titre": "Passeport",
    "motif": "Renouvellement",
    "jour_souhaite": "2027-01-15",
    "moment": "Matin",
}


# « Demande d'acte de naissance » (account-less), an extract for a third party.
BIRTH_ANSWERS = {
    "type_document": "Extrait sans filiation",
    "qualite": "Autre (avocat, notaire, héritier…)",
    "nombre_exemplaires": 1,
    "nom": "Lire",
    "prenoms": "Amélie",
    "date_evenement": "1986-03-14",
    "pays_livraison": "France",
    "destinataire": "Amélie Lire",
    "adresse": "12 rue de la Poste",
    "code_postal": "67400",
    "ville": "Illkirch-Graffenstaden",
}
# The requester of an account-less request.
PAUL_MARTIN = {
    "first_name": "Paul",
    "last_name": "Martin",
    "email": "paul.martin@example.org",
}


def upload(document, filename, data):
    """A document of a REST filing (``POST /@requests``): base64 in JSON."""
    return {
        "document": document,
        "filename": filename,
        "data": base64.b64encode(data).decode("ascii"),
    }


def periscolaire_filing(child_id):
    """The body of ``POST /@requests`` filing the demo's « Inscription
    périscolaire » for the child ``child_id``, with both documents."""
    return {
        "service": "inscription-periscolaire",
        "member": child_id,
        "answers": dict(PERISCOLAIRE_REQUIRED_ANSWERS),
        "documents": [
            upload("attestation-dassurance-scolaire", "assurance.pdf", pdf()),
            upload("carnet-de-vaccination", "vaccins.png", image("PNG")),
        ],
    }


class NextRequestNumber(BrowserView):
    """``POST @@test-next-number``: takes the next request number and answers
    it as text; any other method answers 405. Lets the functional tests drive
    ``next_number`` through the publisher (its transaction, its retries on
    ConflictError), from many threads at once."""

    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        if self.request.get("REQUEST_METHOD", "GET").upper() != "POST":
            response.setStatus(405)
            response.setHeader("Allow", "POST")
            return "Method Not Allowed"
        # Test-only: callers hold no CSRF token.
        alsoProvides(self.request, IDisableCSRFProtection)
        return next_number()


def person(household, member_type):
    """The household's first person of ``member_type`` (« adult »,
    « child »)."""
    return next(p for p in household.persons() if p.member_type == member_type)


class Spy:
    """Calls ``real`` (a function) and keeps what it returned: patched in
    its place with ``mock.patch.object``."""

    def __init__(self, real):
        self.returned = []
        self.real = real

    def __call__(self, *args, **kwargs):
        result = self.real(*args, **kwargs)
        self.returned.append(result)
        return result


def file_mixed_queue(portal, rounds):
    """``rounds`` times amélie.lire's « Inscription périscolaire » for her
    child (by post) and a « Signalement »; then ``rounds`` times
    jérôme.attente's « Rendez-vous passeport » and a « Signalement »: a
    queue of three services for the agents (the requests filed)."""
    from illkirch.eservices.accounts import households
    from illkirch.eservices.requests import submission
    from plone.app.testing import login

    services = portal["demarches"]
    filed = []
    for login_name, userid, service, answers, member_type, by_post in (
        (
            "amélie.lire",
            "amelie.lire",
            "inscription-periscolaire",
            PERISCOLAIRE_ANSWERS,
            "child",
            True,
        ),
        (
            "jérôme.attente",
            "jerome.attente",
            "rendez-vous-passeport-cni",
            PASSPORT_ANSWERS,
            "adult",
            False,
        ),
    ):
        member = person(households.household_of(userid), member_type)
        login(portal, login_name)
        for _ in range(rounds):
            filed.append(
                submission.submit(
                    services[service],
                    dict(answers),
                    member_id=member.getId(),
                    by_post=by_post,
                )
            )
            filed.append(
                submission.submit(
                    services["signalement-voie-publique"], dict(SIGNALEMENT_ANSWERS)
                )
            )
    return filed
