"""Plone's toolbar with accessible pin/unpin controls and a name (see
toolbar.pt)."""

from illkirch.eservices import _
from plone.app.layout.viewlets.toolbar import ToolbarViewletManager as PloneToolbar
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate


class ToolbarViewletManager(PloneToolbar):
    custom_template = ViewPageTemplateFile("templates/toolbar.pt")

    def label(self):
        """The toolbar's accessible name (its region's)."""
        label = _("label_management_toolbar", default="Management toolbar")
        return translate(label, context=self.request)
