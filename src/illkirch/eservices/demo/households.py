"""The demo citizens' households: one validated, one awaiting validation."""

from datetime import date
from illkirch.eservices.accounts.households import create_household
from illkirch.eservices.accounts.households import household_of
from plone import api


DEMO_HOUSEHOLDS = (
    {
        "holder": "amelie.lire",
        "name": "Amélie Lire",
        "state": "validated",
        "billing_account": "ILK-000123",
        "address": {
            "street": "12 rue de la Poste",
            "postal_code": "67400",
            "city": "Illkirch-Graffenstaden",
            "contact_preference": "email",
            "mobile": "06 12 34 56 78",
        },
        "persons": (
            {
                "member_type": "adult",
                "civility": "mme",
                "first_name": "Amélie",
                "last_name": "Lire",
                "birth_date": date(1986, 3, 14),
                "birth_place": "Strasbourg",
                "relationship": "holder",
                "email": "amelie.lire@example.org",
                "phone": "06 12 34 56 78",
            },
            {
                "member_type": "adult",
                "civility": "m",
                "first_name": "Marc",
                "last_name": "Lire",
                "birth_date": date(1984, 11, 2),
                "birth_place": "Colmar",
                "relationship": "spouse",
            },
            {
                "member_type": "child",
                "civility": "m",
                "first_name": "Léo",
                "last_name": "Lire",
                "birth_date": date(2016, 9, 21),
                "birth_place": "Illkirch-Graffenstaden",
                "relationship": "child",
            },
        ),
    },
    {
        "holder": "jerome.attente",
        "name": "Jérôme Attente",
        "state": "pending",
        "address": {
            "street": "3 allée des Tilleuls",
            "postal_code": "67400",
            "city": "Illkirch-Graffenstaden",
            "contact_preference": "phone",
            "phone": "03 88 00 11 22",
        },
        "persons": (
            {
                "member_type": "adult",
                "civility": "m",
                "first_name": "Jérôme",
                "last_name": "Attente",
                "birth_date": date(1979, 6, 30),
                "birth_place": "Mulhouse",
                "relationship": "holder",
                "email": "jerome.attente@example.org",
            },
        ),
    },
)


def create_households():
    """Create the demo households that do not exist yet (idempotent)."""
    created = []
    for demo in DEMO_HOUSEHOLDS:
        if household_of(demo["holder"]) is not None:
            continue
        household = create_household(
            demo["holder"], demo["name"], demo["address"], demo["persons"]
        )
        if demo["state"] == "validated":
            with api.env.adopt_roles(["Manager"]):
                household.billing_account = demo["billing_account"]
                api.content.transition(
                    obj=household,
                    transition="validate",
                    comment="Compte de démonstration validé.",
                )
        created.append(household)
    return created
