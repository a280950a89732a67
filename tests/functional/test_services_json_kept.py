"""``GET /@services`` keeps each service's JSON without ``members`` (#22):
renewed when the service's form, the service or one of its documents is
changed, never kept while the transaction has changed them, nor for a
question whose choices come from a named vocabulary."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.restapi.catalogue import get
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login

import transaction
import unittest


NEW_FIELD = """
    <field name="regime_alimentaire" type="zope.schema.TextLine">
      <title>Régime alimentaire</title>
      <required>False</required>
    </field>
  </schema>"""

NAMED_VOCABULARY = """
    <field name="categorie" type="zope.schema.Choice">
      <title>Catégorie</title>
      <required>False</required>
      <vocabulary>illkirch.eservices.ServiceCategories</vocabulary>
    </field>
  </schema>"""


def names(data):
    return [field["name"] for step in data["steps"] for field in step["fields"]]


class TestServiceJSONKept(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        self.service = self.portal["demarches"]["inscription-periscolaire"]
        self.path = self.service.getPhysicalPath()
        get._SERVICES.clear()
        self.addCleanup(get._SERVICES.clear)
        login(self.layer["app"], SITE_OWNER_NAME)
        transaction.commit()

    def kept(self):
        return [key for key in get._SERVICES if key[0] == self.path]

    def json(self, household=None):
        return get.service_json(self.service, self.request, household)

    def add_field(self, field):
        head, _sep, tail = self.service.fields_model.rpartition("</schema>")
        self.service.fields_model = head + field + tail

    def test_kept_and_the_same(self):
        first = self.json()
        self.assertEqual(len(self.kept()), 1)
        self.assertEqual(self.json(), first)
        # members are the user's: added to a copy, never to the kept JSON
        with_members = self.json(household_of("amelie.lire"))
        self.assertEqual([m["name"] for m in with_members["members"]], ["Léo Lire"])
        self.assertNotIn("members", self.json())
        self.assertEqual(len(self.kept()), 1)

    def test_renewed_when_the_form_is_edited(self):
        before = names(self.json())
        self.assertNotIn("regime_alimentaire", before)
        # easyform's model editor: the new model, in the same transaction
        self.add_field(NEW_FIELD)
        self.assertEqual(names(self.json()), ["regime_alimentaire", *before])
        transaction.abort()
        self.assertEqual(names(self.json()), before)
        self.add_field(NEW_FIELD)
        transaction.commit()
        self.assertEqual(names(self.json()), ["regime_alimentaire", *before])
        self.assertEqual(names(self.json()), ["regime_alimentaire", *before])

    def test_renewed_when_a_document_is_edited(self):
        self.json()
        document = self.service.documents()[0]
        document.title = "Une autre pièce"
        document.reindexObject()
        titles = [d["title"] for d in self.json()["documents"]]
        self.assertIn("Une autre pièce", titles)
        transaction.abort()
        titles = [d["title"] for d in self.json()["documents"]]
        self.assertNotIn("Une autre pièce", titles)
        document = self.service.documents()[0]
        document.title = "Une autre pièce"
        document.reindexObject()
        transaction.commit()
        titles = [d["title"] for d in self.json()["documents"]]
        self.assertIn("Une autre pièce", titles)

    def test_choices_of_a_named_vocabulary_not_kept(self):
        self.add_field(NAMED_VOCABULARY)
        transaction.commit()
        data = self.json()
        self.assertIn("categorie", names(data))
        self.assertEqual(self.kept(), [])
