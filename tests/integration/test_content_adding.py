"""Adding an object without its container's « modified » event
(``content/adding.py``, used by the invoice import and the benchmark
generator)."""

from illkirch.eservices.content.adding import add_without_container_modified
from illkirch.eservices.testing import INTEGRATION_TESTING
from OFS.interfaces import IObjectWillBeAddedEvent
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.dexterity.utils import createContent
from Products.CMFCore.indexing import processQueue
from zope.component import getGlobalSiteManager
from zope.component import provideHandler
from zope.container.interfaces import IContainerModifiedEvent
from zope.interface.interfaces import IObjectEvent
from zope.lifecycleevent.interfaces import IObjectAddedEvent

import unittest


class AddWithoutContainerModifiedTestCase(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.folder = api.content.create(
            container=self.portal, type="Folder", id="dossier"
        )
        self.events = []
        provideHandler(self.events.append, (IObjectEvent,))
        self.addCleanup(
            getGlobalSiteManager().unregisterHandler,
            self.events.append,
            (IObjectEvent,),
        )

    def test_added_indexed_without_container_modified(self):
        obj = createContent("Document", id="note", title="Note")
        added = add_without_container_modified(self.folder, obj)
        self.assertEqual(self.folder["note"], added)
        self.assertEqual(added.aq_parent, self.folder)
        kinds = [
            (kind.__name__, event.object.getId())
            for event in self.events
            for kind in (
                IObjectWillBeAddedEvent,
                IObjectAddedEvent,
                IContainerModifiedEvent,
            )
            if kind.providedBy(event)
        ]
        self.assertEqual(
            kinds, [("IObjectWillBeAddedEvent", "note"), ("IObjectAddedEvent", "note")]
        )
        # the add's handlers ran: workflow state, catalog entry
        self.assertEqual(api.content.get_state(added), "private")
        processQueue()
        brains = self.portal.portal_catalog.unrestrictedSearchResults(UID=added.UID())
        self.assertEqual(
            [brain.getPath() for brain in brains], ["/".join(added.getPhysicalPath())]
        )

    def test_set_object_would_modify_the_container(self):
        """What the function avoids: Zope's own add fires it."""
        self.folder._setObject("autre", createContent("Document", title="Autre"))
        self.assertTrue(
            any(
                IContainerModifiedEvent.providedBy(event)
                and event.object == self.folder
                for event in self.events
            )
        )
