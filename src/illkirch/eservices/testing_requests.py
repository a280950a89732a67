"""Test helpers of requests: answers to the demo services, and a test-only
view of the request numbering (registered by the test layers only, never by
configure.zcml)."""

from illkirch.eservices.requests.numbering import next_number
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides


# Valid answers to the demo services (demo/services.py).
PERISCOLAIRE_ANSWERS = {
    "ecole": "École élémentaire Sud",
    "classe": "CE1",
    "accueils": ["Restauration scolaire", "Accueil du soir"],
    "date_debut": "2027-09-01",
    "droit_image": True,
}
SIGNALEMENT_ANSWERS = {
    "nature": "Dépôt sauvage",
    "description": "Des sacs au pied de l'arbre",
    "adresse": "12 rue du Général Leclerc",
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
