"""Plone's toolbar with accessible pin/unpin controls (see toolbar.pt)."""

from plone.app.layout.viewlets.toolbar import ToolbarViewletManager as PloneToolbar
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class ToolbarViewletManager(PloneToolbar):
    custom_template = ViewPageTemplateFile("templates/toolbar.pt")
