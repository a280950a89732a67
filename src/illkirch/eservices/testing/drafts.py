"""Test helpers of drafts (#17): a half-filled « Inscription périscolaire »
of the demo's Amélie Lire, as the wizard's first steps leave it."""

from illkirch.eservices.accounts import households
from illkirch.eservices.drafts import store
from plone import api


PERISCOLAIRE = "inscription-periscolaire"
# The first fieldset only: a half-filled form (no « date_debut »).
HALF_ANSWERS = {
    "ecole": "École élémentaire Sud",
    "classe": "CE1",
    "accueils": ["Restauration scolaire"],
}
# What is missing to send it.
REST_OF_ANSWERS = {"date_debut": "2027-09-01"}
# A word that only the drafts' answers hold (never found by @search).
SECRET_WORD = "Zygomorphe"


def child_id(household):
    """The id of the household's first child (Léo, in Amélie's)."""
    return next(p for p in household.persons() if p.member_type == "child").getId()


def periscolaire(portal):
    return portal["demarches"][PERISCOLAIRE]


def amelie_draft(portal, files=(), **data):
    """A draft of Amélie's (the current user must be Amélie)."""
    household = households.household_of("amelie.lire")
    values = {
        "answers": dict(HALF_ANSWERS),
        "member": child_id(household),
        "step": "inscription",
    }
    values.update(data)
    return household, store.create(household, periscolaire(portal), values, files)


def set_draft_settings(expiry=None, reminder=None):
    if expiry is not None:
        api.portal.set_registry_record("illkirch.eservices.draft_expiry_days", expiry)
    if reminder is not None:
        api.portal.set_registry_record(
            "illkirch.eservices.draft_reminder_days", reminder
        )
