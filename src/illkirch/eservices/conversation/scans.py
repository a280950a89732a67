"""The scan of the conversation's files (#21): the kind ``message-files``
of ``antivirus.files``.

Every file of a message is scanned, the citizen's and the agents' alike
(simpler and safer: an agent's file may come from a citizen's email). Its
``ref`` is ``"<request UID>/<message id>/<attachment id>"``; the holder
is the message's ``content.request.Attachment``, whose ``scan`` record
says « en cours d'analyse », clean or refused. A refused file keeps its
name, size and the scan record (signature, SHA-256, date) and loses its
content; the thread shows it « Fichier refusé par l'antivirus » to both
sides (the agents of the service see it there), and the citizen who sent
it is told by email which file it was (an agent's refused file is shown
in the thread only: the citizen never sent it).
"""

from illkirch.eservices.antivirus import files
from illkirch.eservices.antivirus import served
from illkirch.eservices.conversation import store
from illkirch.eservices.requests import processing
from plone import api
from zope.interface import implementer


KIND = "message-files"


def ref_of(request_obj, message, attachment):
    return f"{request_obj.UID()}/{message.id}/{attachment.id}"


def start(request_obj, message):
    """The message is stored: its files wait for their scan."""
    for attachment in message.attachments:
        files.start(KIND, ref_of(request_obj, message, attachment), attachment)


def _request(uid):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(UID=uid, portal_type="Request"):
        return brain._unrestrictedGetObject()
    return None


def _parts(ref):
    parts = (ref or "").split("/")
    return parts if len(parts) == 3 else None


@implementer(files.IScannedFiles)
class MessageFiles(served.BlobFiles):
    """The named utility ``message-files``."""

    def _find(self, ref):
        parts = _parts(ref)
        request_obj = _request(parts[0]) if parts else None
        message = store.find(request_obj, parts[1]) if request_obj else None
        attachment = message.attachment(parts[2]) if message else None
        return request_obj, message, attachment

    def find(self, ref):
        return self._find(ref)[2]  # (request, message, attachment)

    def refused(self, holder, ref, record):
        served.drop_content(holder)
        request_obj, message, _attachment = self._find(ref)
        if request_obj is None or message is None:
            return
        request_obj.reindexObject(idxs=["modified"])
        if message.side != store.CITIZEN or message.internal:
            return
        served.tell_citizen(
            processing.recipient(request_obj),
            "message",
            holder.filename,
            processing.follow_url(request_obj),
            number=request_obj.number,
        )

    def unscanned(self):
        """``(ref, holder)`` of the messages' files never scanned (received
        while the antivirus was off)."""
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(portal_type="Request"):
            request_obj = brain._unrestrictedGetObject()
            conversation = store.get(request_obj)
            if conversation is None:
                continue
            for message in conversation.messages:
                for attachment in message.attachments:
                    if getattr(attachment, "scan", None) is None:
                        yield ref_of(request_obj, message, attachment), attachment
