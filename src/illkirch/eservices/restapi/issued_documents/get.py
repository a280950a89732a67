"""``GET <request>/@documents`` and ``GET <payment>/@documents``: the
official documents issued for it (#18); ``GET <…>/@documents/<id>``
downloads one (the PDF, with the headers of the request's documents).

Who may is ``official_documents.access``'s rule: View on the request (its
household's citizen, the agents of its service's group) or the payment
(its household's citizen, the régie staff). Others get 401 (or 403) from
the traversal or the rule, an unknown document 404.
"""

from illkirch.eservices.official_documents import access
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.traversal import TraversingService
from plone.namedfile.utils import stream_data
from zope.i18n import translate


class DocumentsGet(TraversingService):
    def render(self):
        if len(self.params) != 1:
            return super().render()  # the list, or a 404 in JSON
        self.check_permission()
        document = access.get(self.context, self.params[0])  # Unauthorized: 401
        if document is None:
            return super().render()  # a 404 in JSON
        access.set_download_headers(self.request.response, document)
        return stream_data(document.file)

    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        if self.params:
            return error_answer(self.request, 404, NOT_FOUND)
        items = [self.item(item) for item in access.listing(self.context)]
        return {
            "@id": access.rest_url(self.context.absolute_url()),
            "items": items,
            "items_total": len(items),
        }

    def item(self, item):
        return {
            "@id": item["rest_url"],
            "id": item["id"],
            "kind": item["kind"],
            "title": translate(item["title"], context=self.request),
            "issued": item["issued"],
            "filename": item["filename"],
            "size": item["size"],
            "content_type": "application/pdf",
            "sha256": item["sha256"],
            "download": item["url"],
        }
