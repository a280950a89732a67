"""A request as the lists of ``/@requests`` show it; the catalog metadata
no summary shows (``@search``'s ``metadata_fields``)."""

from illkirch.eservices.requests import processing
from illkirch.eservices.restapi.links import attachments_url
from illkirch.eservices.restapi.links import services_url
from plone.restapi.interfaces import IJSONSummarySerializerMetadata
from plone.restapi.serializer.converters import json_compatible
from zope.i18n import translate
from zope.interface import implementer


def request_summary(request_obj, request, review_state=None, services=None):
    """What a citizen's list shows of a request.

    A list passes what it already knows: ``review_state`` (the catalog's)
    and ``services`` (``services_url()``, the same for every item).
    """
    review_state = review_state or processing.state(request_obj)
    services = services or services_url()
    url = request_obj.absolute_url()
    return {
        "@id": url,
        "@type": request_obj.portal_type,
        "UID": request_obj.UID(),
        "number": request_obj.number,
        "title": request_obj.Title(),
        "review_state": review_state,
        "status": translate(processing.state_title(review_state), context=request),
        "service": {
            "@id": f"{services}/{request_obj.service_uid}",
            "UID": request_obj.service_uid,
            "title": request_obj.service_title,
        },
        "member": {"id": request_obj.member_id, "name": request_obj.member_name}
        if request_obj.member_id
        else None,
        "by_post": bool(request_obj.by_post),
        "submitted": json_compatible(request_obj.submitted),
        "attachments": {"@id": attachments_url(request_obj)},
    }


@implementer(IJSONSummarySerializerMetadata)
class HiddenMetadata:
    """``conversation_summary`` (how many messages each side sees and who
    read how many) is the listings' own: ``@search`` never shows it, not
    even with ``metadata_fields=_all`` (it would tell a citizen that
    internal notes exist, and which agents read their conversation).
    ``GET /@requests`` gives each user their own ``unread_messages``."""

    def blocklisted_attributes(self):
        return {"conversation_summary"}
