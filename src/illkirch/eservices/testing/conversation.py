"""Test helpers of the conversations (#17): a request of Amélie's household
to talk about, filed in the site (integration) or over REST (functional),
and the bodies of ``POST <request>/@messages``."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from illkirch.eservices.requests import submission
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.layers import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import periscolaire_filing
from illkirch.eservices.testing.requests import upload
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from zope.interface import alsoProvides

import unittest


CITIZEN_ID = "amelie.lire"
CITIZEN_LOGIN = "amélie.lire"
AGENT_ID = "agent.accueil"  # processes « Inscription périscolaire »
OTHER_AGENT_ID = "agent.voirie"  # another group
OTHER_CITIZEN_LOGIN = "jérôme.attente"  # another household


def child_id():
    household = household_of(CITIZEN_ID)
    return next(p for p in household.persons() if p.member_type == "child").getId()


def file_request(portal):
    """Amélie files « Inscription périscolaire » (logged in as her after)."""
    login(portal, CITIZEN_LOGIN)
    service = portal["demarches"]["inscription-periscolaire"]
    return submission.submit(
        service,
        raw_answers=dict(PERISCOLAIRE_ANSWERS),
        member_id=child_id(),
        files=[
            {
                "document": "attestation-dassurance-scolaire",
                "filename": "assurance.pdf",
                "data": pdf(),
            },
            {
                "document": "carnet-de-vaccination",
                "filename": "vaccins.png",
                "data": image("PNG"),
            },
        ],
    )


def file_over_rest(portal_url, session):
    """Amélie's ``session`` files the request; return its URL."""
    response = session.post(
        f"{portal_url}/@requests", json=periscolaire_filing(child_id())
    )
    response.raise_for_status()
    return response.json()["@id"]


def message_body(text, files=(), internal=False):
    """The body of ``POST <request>/@messages``; ``files``: ``(filename,
    bytes)`` pairs, sent in base64 as the request's documents."""
    body = {"text": text, "internal": internal}
    if files:
        body["documents"] = [
            {k: v for k, v in upload("", name, data).items() if k != "document"}
            for name, data in files
        ]
    return body


class ConversationPage:
    """Mixed into the browser tests of a request's conversation (a
    ``BrowserTestCase``): the thread's messages, and writing one with the
    page's form on ``self.page``."""

    def thread(self):
        return self.page.locator("#conversation-thread > li")

    def write(self, text, file=None, internal=False):
        form = self.page.locator("#conversation-form")
        form.get_by_label("Votre message").fill(text)
        if file:
            form.get_by_label("Pièces jointes").set_input_files(file)
        if internal:
            form.get_by_label("Note interne (invisible pour l'usager)").check()
        form.get_by_role("button", name="Envoyer").click()


class FiledRequestTestCase(unittest.TestCase):
    """Amélie's request filed in the demo site (``self.request_obj``), the
    browser request marked with the add-on's layer, mail kept by a mock:
    what the request page's tests start from."""

    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        alsoProvides(self.request, IIllkirchEservicesLayer)
        self.mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        self.request_obj = file_request(self.portal)

    def view(self):
        # a fresh view each time: its answers are memoized per view
        return api.content.get_view("view", self.request_obj, self.request)
