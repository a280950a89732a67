"""What the holders of scanned files share (#21): the French refusals of
a download (or of a reuse) while a file is not clean, the labels of its
status, and the email telling the citizen which file was refused.

The rule itself (``start``, ``is_available``…) is ``antivirus.files``;
each kind of holder (conversation, locker, drafts…) uses these so that the
citizen reads the same words everywhere.
"""

from illkirch.eservices import _
from illkirch.eservices import mail
from illkirch.eservices.antivirus import files
from zope.i18nmessageid import Message

import logging


logger = logging.getLogger("illkirch.eservices.antivirus")

PENDING = _(
    "error_antivirus_file_pending",
    default="This file is being scanned by the antivirus: it can be opened "
    "once the scan is over.",
)
REFUSED = _(
    "error_antivirus_file_refused",
    default="This file was refused by the antivirus: its content was "
    "deleted and it can no longer be opened.",
)
PENDING_LABEL = _(
    "antivirus_label_pending", default="File being scanned by the antivirus"
)
REFUSED_LABEL = _("antivirus_label_refused", default="File refused by the antivirus")

SUBJECT = _(
    "mail_antivirus_refused_subject",
    default="Your file “${filename}” was refused by the antivirus",
)
BODIES = {
    "message": _(
        "mail_antivirus_refused_message_body",
        default="Hello,\n\nThe file “${filename}” attached to a message about "
        "your request ${number} was refused by the town's antivirus: it "
        "looks infected. Its content was deleted and nobody will open it.\n\n"
        "If you meant to send a document, send another copy from a device "
        "you trust, in a new message on your request's page:\n${url}",
    ),
    "locker": _(
        "mail_antivirus_refused_locker_body",
        default="Hello,\n\nThe file “${filename}” kept in « My documents » "
        "was refused by the town's antivirus: it looks infected. Its content "
        "was deleted and it will not be offered for your next requests.\n\n"
        "Give another copy of this document, from a device you trust, with "
        "your next request. Your documents:\n${url}",
    ),
    "draft": _(
        "mail_antivirus_refused_draft_body",
        default="Hello,\n\nThe file “${filename}” kept with your request "
        "being filled in “${service}” was refused by the town's antivirus: it "
        "looks infected. Its content was deleted.\n\nRemove it and attach "
        "another copy, from a device you trust, before sending the "
        "request:\n${url}",
    ),
}


def status_label(holder):
    """The label of a file that may not be opened, or None."""
    if files.is_refused(holder):
        return REFUSED_LABEL
    if not files.is_available(holder):
        return PENDING_LABEL
    return None


def refusal(holder):
    """Why the file may not be opened (or reused) now, or None: refused,
    or not (yet) found clean — « en cours d'analyse »."""
    if files.is_available(holder):
        return None
    return REFUSED if files.is_refused(holder) else PENDING


def scan_state(holder):
    """The ``scan`` field of the serializations: ``"pending"``, ``"clean"``,
    ``"refused"`` or None (received while the antivirus was off)."""
    return files.state(holder)


def drop_content(holder):
    """A refused file's content is deleted (its blob goes with the
    reference); its name, size and the scan record stay."""
    holder.file = None


def tell_citizen(address, place, filename, url, **mapping):
    """Email the citizen which file was refused (``place``: a key of
    ``BODIES``; ``url`` from the configured public URL). False when
    nobody can be told."""
    if not address:
        logger.warning("A refused file (%s): nobody to email", place)
        return False
    values = dict(mapping, filename=filename, url=url)
    try:
        mail.send(
            address,
            Message(SUBJECT, mapping=values),
            Message(BODIES[place], mapping=values),
        )
    except ValueError as error:  # plone.api: "MailHost is not configured."
        logger.warning("Refused file's email not sent: %s", error)
        return False
    return True


class BlobFiles:
    """Base of the kinds whose holders keep their file as a blob
    (``holder.file``, a NamedBlobFile, None once refused) and find it with
    ``_find(ref)`` → ``(its container, the holder)``."""

    def _find(self, ref):
        raise NotImplementedError

    def find(self, ref):
        return self._find(ref)[1]

    def content(self, holder):
        """The blob, streamed to the daemon (never read whole in memory)."""
        return holder.file.open() if holder.file is not None else None
