"""A request as ``/@requests`` shows it: the items of its lists, and the
answer to a request just filed (``POST /@requests``, ``POST
/@drafts/<id>/submit``), the same JSON from both."""

from illkirch.eservices.requests import processing
from illkirch.eservices.requests import scanning
from illkirch.eservices.requests import submission
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.plain_json import plain
from illkirch.eservices.roles import may
from zope.i18n import translate


def status_text(review_state, request, statuses=None):
    """The status' title in the user's language; ``statuses``: a dict in
    which a list keeps the titles it translated (one per status, not one
    per item)."""
    if statuses is None:
        return translate(processing.state_title(review_state), context=request)
    if review_state not in statuses:
        statuses[review_state] = status_text(review_state, request)
    return statuses[review_state]


def request_summary(
    request_obj, request, review_state=None, services=None, url=None, statuses=None
):
    """What a citizen's list shows of a request.

    A list passes what it already knows: ``review_state`` (the catalog's),
    ``services`` (``services_url()``, the same for every item), ``url``
    (the request's, from its brain) and ``statuses`` (``status_text``).
    """
    review_state = review_state or processing.state(request_obj)
    services = services or services_url()
    url = url or request_obj.absolute_url()
    return {
        "@id": url,
        "@type": request_obj.portal_type,
        "UID": request_obj.UID(),
        "number": request_obj.number,
        "title": request_obj.Title(),
        "review_state": review_state,
        "status": status_text(review_state, request, statuses),
        "service": {
            "@id": f"{services}/{request_obj.service_uid}",
            "UID": request_obj.service_uid,
            "title": request_obj.service_title,
        },
        "member": {"id": request_obj.member_id, "name": request_obj.member_name}
        if request_obj.member_id
        else None,
        "by_post": bool(request_obj.by_post),
        "submitted": plain(request_obj.submitted),
        "attachments": {"@id": f"{url}/@attachments"},
        # documents refused by the antivirus (#21)
        "quarantined": len(scanning.quarantined(request_obj)),
    }


# The metadata columns ``brain_summary`` reads (``queue.Rows.columns``).
SUMMARY_COLUMNS = (
    "portal_type",
    "UID",
    "request_number",
    "Title",
    "review_state",
    "service_uid",
    "service_title",
    "member_id",
    "member_name",
    "by_post",
    "submitted",
)


def brain_summary(brain, request, rows, services, statuses, url=None):
    """``request_summary`` of a request from its catalog entry alone (the
    metadata columns of upgrade 1017; the queue's listing, #22): the same
    JSON, no request woken up. ``rows``: the listing's ``queue.Rows`` (the
    URL, the antivirus' counts read once, the columns read at once);
    ``services``: ``services_url()``; ``statuses``: see ``status_text``;
    ``url``: the request's (``rows.url``), when the caller has it."""
    if url is None:
        url = rows.url(brain)
    (
        portal_type,
        uid,
        number,
        title,
        review_state,
        service_uid,
        service_title,
        member_id,
        member_name,
        by_post,
        submitted,
    ) = rows.columns(brain, SUMMARY_COLUMNS)
    return {
        "@id": url,
        "@type": portal_type,
        "UID": uid,
        "number": number,
        "title": title,
        "review_state": review_state,
        "status": status_text(review_state, request, statuses),
        "service": {
            "@id": f"{services}/{service_uid}",
            "UID": service_uid,
            "title": service_title,
        },
        "member": {"id": member_id, "name": member_name} if member_id else None,
        "by_post": bool(by_post),
        "submitted": plain(submitted),
        "attachments": {"@id": f"{url}/@attachments"},
        # documents refused by the antivirus (#21): the count kept with
        # the records (scanning.quarantine), read once for the listing
        "quarantined": rows.quarantined_count(uid),
    }


def filed_answer(request_obj, request):
    """The 201 answer to a request just filed by ``submission.submit``:
    its summary (plus ``tracking_code`` when one was given) with its URL in
    ``Location``; an anonymous requester gets only the number, the tracking
    code, the status and the follow-up page."""
    code = submission.last_tracking_code(request)
    request.response.setStatus(201)
    if request_obj.tracking_digest and not may("View", request_obj):
        # An anonymous requester sees only this, once, and by email.
        return {
            "number": request_obj.number,
            "tracking_code": code,
            "status": translate(
                processing.state_title(processing.state(request_obj)),
                context=request,
            ),
            "follow": processing.follow_url(request_obj),
        }
    data = request_summary(request_obj, request)
    data["unread_messages"] = 0  # as in the lists; a new request has none
    if code:
        data["tracking_code"] = code
    request.response.setHeader("Location", data["@id"])
    return data
