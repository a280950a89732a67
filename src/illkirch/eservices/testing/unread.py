"""Test helpers of the unread messages (conversation/unread.py): messages
written straight into a request's conversation (``store.append``, without
the conversation's rules and notification), a second agent of a group."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.conversation import store
from illkirch.eservices.requests import submission
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from plone import api


PUBLIC = "https://demarches.illkirch.example"
# A second agent of the population group, beside the demo's agent.accueil.
SECOND_AGENT = "agent.deux"
SECOND_AGENT_PASSWORD = "Agent-Deux-2026"
SECOND_AGENT_EMAIL = "agent.deux@illkirch.example"


def add_agent(userid=SECOND_AGENT, groups=("Agents", "agents-population")):
    """An agent of ``groups`` (the Guichet: group « Agents »)."""
    with api.env.adopt_roles(["Manager"]):
        api.user.create(
            email=f"{userid}@illkirch.example",
            username=userid,
            password=SECOND_AGENT_PASSWORD,
            properties={"fullname": "Zoé Deux (agent)"},
        )
        for group in groups:
            api.group.add_user(groupname=group, username=userid)


def citizen_says(request_obj, author, text="Bonjour, une question."):
    return store.append(request_obj, store.Message(author, store.CITIZEN, text))


def agent_says(request_obj, author, text="Réponse du service.", internal=False):
    return store.append(
        request_obj, store.Message(author, store.AGENT, text, internal=internal)
    )


def only(request_obj):
    """The catalog brain of the request (unrestricted)."""
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(UID=request_obj.UID())
    return brain


def adult(userid):
    """The id of the adult of ``userid``'s household."""
    return next(
        p for p in household_of(userid).persons() if p.member_type == "adult"
    ).getId()


def passport_request(portal, userid):
    """A « rendez-vous passeport » request for the adult of ``userid``'s
    household, filed by the logged-in user."""
    passport = portal["demarches"]["rendez-vous-passeport-cni"]
    return submission.submit(passport, dict(PASSPORT_ANSWERS), member_id=adult(userid))
