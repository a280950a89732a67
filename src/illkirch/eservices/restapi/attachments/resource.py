"""The JSON of a request's attachments, for the methods of ``@attachments``."""

from illkirch.eservices.requests import documents
from illkirch.eservices.requests import scanning
from illkirch.eservices.restapi.links import attachments_url


def attachment_json(request_obj, attachment):
    return {
        "@id": f"{attachments_url(request_obj)}/{attachment.id}",
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "document": attachment.document or None,
        "added": attachment.added,
        # the antivirus (#21): "pending" (not downloadable yet), "clean",
        # or null (received while it was off)
        "scan": scanning.status(attachment),
    }


def quarantined_json(record):
    return {
        "id": record["id"],
        "filename": record["filename"],
        "document": record["document"] or None,
        "size": record["size"],
        "added": record["added"],
        "refused": record["scanned"],
        "scan": "refused",
    }


def attachments_json(request_obj):
    items = [attachment_json(request_obj, a) for a in request_obj.attachments]
    return {
        "@id": attachments_url(request_obj),
        "items": items,
        "items_total": len(items),
        "quarantined": [
            quarantined_json(record) for record in scanning.quarantined(request_obj)
        ],
        "can_add": documents.may_add(request_obj),
    }
