"""``@search`` never filters nor sorts on the conversations' indexes
(``conversation.private_indexes``, docs/security.md)."""

from illkirch.eservices.conversation import private_indexes
from plone.restapi.search.query import ZCatalogCompatibleQueryAdapter


class PublicQuery(ZCatalogCompatibleQueryAdapter):
    """plone.restapi's query of ``@search``, without the criteria and the
    sorting on the private indexes (for the add-on's browser layer)."""

    def __call__(self, query):
        return super().__call__(private_indexes.public_query(query))
