"""Plone's search page as the portal shows it (#15 item 6): for citizens,
no byline (« par … — Dernière modification ») and no « Situé dans » trail
of folders under each result: their requests live in the households'
folders, which citizens never browse (``browser/ways.py``)."""

from illkirch.eservices.accounts import citizens
from plone.memoize.view import memoize
from Products.CMFPlone.browser.search import Search


class PortalSearch(Search):
    @memoize
    def for_citizen(self):
        return citizens.is_citizen()

    def show_about(self, default):
        """Plone's rule for the bylines, never for citizens."""
        return default and not self.for_citizen()

    def breadcrumbs(self, item):
        if self.for_citizen():
            return []
        return super().breadcrumbs(item)
