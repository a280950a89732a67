"""Plone's search page as the portal shows it (#15 item 6): for citizens,
no byline (« par … — Dernière modification ») and no « Situé dans » trail
of folders under each result: their requests live in the households'
folders, which citizens never browse (``browser/ways.py``).

Neither the page, nor the live search (``@@ajax-search``), nor the catalog
vocabularies of ``@@getVocabulary`` filter or sort on the conversations'
indexes (``conversation.private_indexes``, docs/security.md)."""

from illkirch.eservices.accounts import citizens
from illkirch.eservices.conversation import private_indexes
from plone.app.content.browser.vocabulary import VocabularyView
from plone.memoize.view import memoize
from Products.CMFPlone.browser.search import AjaxSearch
from Products.CMFPlone.browser.search import Search


class PublicQuery:
    """Plone's query of the search views, from the form: without the
    private indexes (before Plone's default sorting is added)."""

    def _filter_query(self, query):
        return private_indexes.public_query(super()._filter_query(query))


class PortalSearch(PublicQuery, Search):
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


class PortalAjaxSearch(PublicQuery, AjaxSearch):
    pass


class PublicVocabularyView(VocabularyView):
    def parsed_query(self):
        return private_indexes.public_query(super().parsed_query())
