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
