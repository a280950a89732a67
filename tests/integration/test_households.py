"""Households: ownership, workflow, the rules of the domain layer, history."""

from AccessControl import Unauthorized
from datetime import date
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.households import HouseholdError
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import login
from plone.app.testing import logout

import unittest


CHILD = {
    "member_type": "child",
    "civility": "mme",
    "first_name": "Zoé",
    "last_name": "Lire",
    "birth_date": date(2019, 5, 4),
    "relationship": "child",
}


class TestHouseholds(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.amelie = households.household_of("amelie.lire")
        self.jerome = households.household_of("jerome.attente")

    def as_user(self, userid):
        login(self.portal, userid)
        self.addCleanup(logout)

    def test_demo_households(self):
        self.assertEqual(households.state(self.amelie), "validated")
        self.assertEqual(households.state(self.jerome), "pending")
        self.assertEqual(
            [p.first_name for p in self.amelie.persons()], ["Amélie", "Marc", "Léo"]
        )
        self.assertEqual(self.amelie.holder().first_name, "Amélie")
        self.assertEqual(self.amelie.billing_account, "ILK-000123")

    def test_holder_owns_their_household_only(self):
        self.assertIn("Owner", self.amelie.get_local_roles_for_userid("amelie.lire"))
        self.assertEqual(self.amelie.getOwner().getId(), "amelie.lire")
        self.as_user("amélie.lire")
        self.assertTrue(api.user.has_permission("View", obj=self.amelie))
        self.assertFalse(api.user.has_permission("View", obj=self.jerome))
        self.assertFalse(api.user.has_permission("View", obj=self.jerome.holder()))
        with self.assertRaises(Unauthorized):
            self.portal.restrictedTraverse(
                f"foyers/{self.jerome.getId()}/{self.jerome.holder().getId()}"
            )
        # the folder of households is not listable by a citizen
        self.assertFalse(api.user.has_permission("View", obj=self.portal["foyers"]))

    def test_catalog_shows_a_citizen_their_own_household(self):
        self.as_user("amélie.lire")
        brains = api.content.find(portal_type="Household")
        self.assertEqual([b.getObject() for b in brains], [self.amelie])
        self.assertEqual(len(api.content.find(portal_type="Person")), 3)

    def test_current_household(self):
        self.as_user("jérôme.attente")
        self.assertEqual(households.current_household(), self.jerome)

    def test_pending_household_is_read_only_for_its_citizen(self):
        self.as_user("jérôme.attente")
        self.assertFalse(
            api.user.has_permission("Modify portal content", obj=self.jerome)
        )
        for change in (
            lambda: households.update_household(self.jerome, {"city": "Strasbourg"}),
            lambda: households.add_person(
                self.jerome, dict(CHILD, last_name="Attente")
            ),
        ):
            with self.assertRaises(HouseholdError) as error:
                change()
            self.assertEqual(error.exception.message, "error_household_locked")
        self.assertEqual(history.entries(self.jerome)[0]["action"], "household_created")

    def test_citizen_cannot_bypass_the_domain(self):
        """Plone's own edit rights stay with the staff: no edit form or REST
        PATCH of the household or its members for a citizen."""
        self.as_user("amélie.lire")
        for obj in (self.amelie, self.amelie.holder()):
            self.assertFalse(api.user.has_permission("Modify portal content", obj=obj))
            self.assertFalse(api.user.has_permission("Delete objects", obj=obj))
        self.assertTrue(
            api.user.has_permission(households.EDIT_PERMISSION, obj=self.amelie)
        )
        self.assertFalse(
            api.user.has_permission(households.EDIT_PERMISSION, obj=self.jerome)
        )

    def test_other_household_unauthorized(self):
        self.as_user("amélie.lire")
        with self.assertRaises(Unauthorized):
            households.update_household(self.jerome, {"city": "Strasbourg"})

    def test_holder_stays_holder(self):
        self.as_user("amélie.lire")
        with self.assertRaises(HouseholdError):
            households.update_person(
                self.amelie, self.amelie.holder(), {"relationship": "other"}
            )
        with self.assertRaises(HouseholdError):
            households.update_person(
                self.amelie, self.amelie.holder(), {"member_type": "child"}
            )

    def test_validated_household_edited_with_history(self):
        self.as_user("amélie.lire")
        changed = households.update_household(
            self.amelie, {"contact_preference": "phone", "city": "Illkirch"}
        )
        self.assertEqual(changed, ["city", "contact_preference"])
        person = households.add_person(self.amelie, CHILD)
        self.assertEqual(person.Title(), "Zoé Lire")
        households.update_person(self.amelie, person, {"birth_place": "Strasbourg"})
        households.remove_person(self.amelie, person)
        actions = [e["action"] for e in reversed(history.entries(self.amelie))]
        self.assertEqual(
            actions[:4],
            ["person_removed", "person_updated", "person_added", "household_updated"],
        )
        self.assertEqual(history.entries(self.amelie)[-1]["actor"], "amelie.lire")

    def test_citizen_cannot_write_the_billing_account(self):
        self.as_user("amélie.lire")
        with self.assertRaises(HouseholdError) as error:
            households.update_household(self.amelie, {"billing_account": "X"})
        self.assertEqual(error.exception.field, "billing_account")
        self.assertFalse(
            api.user.has_permission(
                "illkirch.eservices: Manage billing account", obj=self.amelie
            )
        )

    def test_agent_writes_the_billing_account(self):
        self.as_user("agent.accueil")
        households.update_household(self.amelie, {"billing_account": "ILK-9"})
        self.assertEqual(self.amelie.billing_account, "ILK-9")

    def test_member_rules(self):
        self.as_user("amélie.lire")
        for data, field in (
            (dict(CHILD, birth_date=date(1980, 1, 1)), "birth_date"),
            (
                dict(
                    CHILD, birth_date=date.today().replace(year=date.today().year + 1)
                ),
                "birth_date",
            ),
            (dict(CHILD, email="zoe@example.org"), "email"),
            (dict(CHILD, relationship="holder"), "relationship"),
        ):
            with self.assertRaises(HouseholdError) as error:
                households.add_person(self.amelie, data)
            self.assertEqual(error.exception.field, field, data)
        with self.assertRaises(HouseholdError):
            households.remove_person(self.amelie, self.amelie.holder())
        self.assertEqual(len(self.amelie.persons()), 3)

    def test_citizen_cannot_fire_agent_transitions(self):
        self.as_user("jérôme.attente")
        workflow = api.portal.get_tool("portal_workflow")
        self.assertEqual(workflow.getTransitionsFor(self.jerome), ())
        with self.assertRaises(api.exc.InvalidParameterError):
            api.content.transition(obj=self.jerome, transition="validate")
        self.assertEqual(households.state(self.jerome), "pending")

    def test_agent_validates_then_suspends(self):
        self.as_user("agent.accueil")
        api.content.transition(obj=self.jerome, transition="validate")
        self.assertEqual(households.state(self.jerome), "validated")
        api.content.transition(
            obj=self.jerome, transition="suspend", comment="Adresse à vérifier."
        )
        self.assertEqual(households.state(self.jerome), "suspended")
        api.content.transition(obj=self.jerome, transition="validate")
        self.assertEqual(households.state(self.jerome), "validated")


class TestOwnEntries(unittest.TestCase):
    """``households.own_brains`` / ``own_object``: a household's children
    of one type, never another household's."""

    layer = DEMO_INTEGRATION_TESTING

    def test_children_of_one_type(self):
        amelie = households.household_of("amelie.lire")
        jerome = households.household_of("jerome.attente")
        for household in (amelie, jerome):
            for portal_type in ("Person", "Invoice", "Request", "Payment"):
                expected = sorted(
                    obj.getId()
                    for obj in household.objectValues()
                    if obj.portal_type == portal_type
                )
                brains = households.own_brains(household, portal_type)
                self.assertEqual(
                    sorted(b.getId for b in brains),
                    expected,
                    (household.getId(), portal_type),
                )
                for brain in brains:
                    obj = households.own_object(household, brain)
                    self.assertEqual(obj.UID(), brain.UID)
                    self.assertIs(obj.aq_parent.aq_base, household.aq_base)
        self.assertTrue(households.own_brains(amelie, "Invoice"))
        self.assertEqual(households.own_brains(amelie, "Household"), [])


class TestChildrenOfOneKind(unittest.TestCase):
    """``Household.persons`` and ``Service.documents`` read their children's
    class on the ghosts (#22, ``content.children``): the same children, in
    the same order, as CMF's ``contentValues`` filtered by interface."""

    layer = DEMO_INTEGRATION_TESTING

    def test_persons_as_content_values(self):
        from illkirch.eservices.content.household import IPerson

        amelie = households.household_of("amelie.lire")
        # the household holds more than its persons
        self.assertTrue(households.own_brains(amelie, "Invoice"))
        for household in (amelie, households.household_of("jerome.attente")):
            expected = sorted(
                (p for p in household.contentValues() if IPerson.providedBy(p)),
                key=lambda p: p.member_type != "adult",
            )
            self.assertTrue(expected)
            self.assertEqual(
                [p.getId() for p in household.persons()],
                [p.getId() for p in expected],
            )
            for person in household.persons():
                self.assertIs(person.aq_parent.aq_base, household.aq_base)

    def test_documents_as_content_values(self):
        from illkirch.eservices.content.service import ISupportingDocument

        portal = self.layer["portal"]
        found = 0
        for service in portal["demarches"].objectValues():
            if not hasattr(service, "documents"):
                continue
            expected = [
                d.getId()
                for d in service.contentValues()
                if ISupportingDocument.providedBy(d)
            ]
            self.assertEqual([d.getId() for d in service.documents()], expected)
            found += len(expected)
        self.assertTrue(found)
