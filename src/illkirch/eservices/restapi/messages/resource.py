"""The JSON of a request's conversation, for the methods of ``@messages``."""

from illkirch.eservices.conversation import messages
from zope.i18n import translate


def messages_url(request_obj):
    return f"{request_obj.absolute_url()}/@messages"


def item_json(request_obj, item, request):
    """One item of ``conversation.messages.thread`` in JSON."""
    base = messages_url(request_obj)
    data = {
        "@id": f"{base}/{item['id']}" if item["kind"] != "status" else None,
        "id": item["id"],
        "kind": item["kind"],
        "internal": item["kind"] == "note",
        "time": item["time"],
        "author": translate(item["author"], context=request),
        "mine": item["mine"],
        "side": item["side"],
        "text": item["text"],
        "html": messages.to_html(item["text"]),
        "status": (
            translate(item["status"], context=request) if item["status"] else None
        ),
        "attachments": [
            {
                "@id": f"{base}/{item['id']}/{a['id']}",
                "id": a["id"],
                "filename": a["filename"],
                "content_type": a["content_type"],
                "size": a["size"],
                # the antivirus (#21): "pending", "clean", "refused" or null
                "scan": a["scan"],
                "available": a["available"],
                "scan_label": (
                    translate(a["scan_label"], context=request)
                    if a["scan_label"]
                    else None
                ),
            }
            for a in item["attachments"]
        ],
    }
    if item["seen_by"] is not None:
        data["seen_by"] = item["seen_by"]
    return data


def thread_json(request_obj, request):
    items = [
        item_json(request_obj, item, request) for item in messages.thread(request_obj)
    ]
    return {
        "@id": messages_url(request_obj),
        "items": items,
        "items_total": len(items),
        "unread": messages.unread_count(request_obj),
        "can_write": messages.may_write(request_obj),
        "can_write_notes": messages.side(request_obj) == "agent",
    }


def message_json(request_obj, message_id, request):
    """The thread's item of the message ``message_id`` (None: not seen)."""
    for item in messages.thread(request_obj):
        if item["id"] == message_id:
            return item_json(request_obj, item, request)
    return None
