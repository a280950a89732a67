"""The conversation on a request's page (#17): what ``RequestView`` shows
of it, the download of a message's file and the form writing a message.

The rules are in ``conversation.messages``; these views only show them.
"""

from illkirch.eservices import _
from illkirch.eservices.browser.citizen_area import AccountTab
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.browser.scanned import not_served
from illkirch.eservices.conversation import messages
from illkirch.eservices.conversation import store
from illkirch.eservices.requests import documents
from illkirch.eservices.sizes import size_text
from plone.memoize.instance import memoize
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from Products.statusmessages.interfaces import IStatusMessage
from zExceptions import NotFound
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import chameleon
import json
import os
import transaction


# The request page shows the thread's last items (#22: a 50-message thread
# made the page and its HTML a third heavier than the Document); the link
# « Voir les messages précédents » (``?messages=tous``) shows them all.
CONVERSATION_SHOWN = 20
# The thread's items, rendered by Chameleon alone (#22: see the template).
ITEMS_TEMPLATE = chameleon.PageTemplateFile(
    os.path.join(os.path.dirname(__file__), "templates", "conversation_items.pt")
)
SHOW_ALL = "messages"
SHOW_ALL_VALUE = "tous"

KINDS = {
    "message": _("conversation_kind_message", default="Message"),
    "note": _(
        "conversation_kind_note",
        default="Internal note — invisible to the citizen",
    ),
    "status": _("conversation_kind_status", default="Status change"),
}


class RequestConversationMixin:
    """Mixed into ``browser.requests.RequestView``."""

    # A refused message (``PostMessage``): the errors (key → message) and
    # the form as typed, shown again on the page.
    message_errors = None
    message_text = ""
    message_internal = False

    @memoize
    def conversation_side(self):
        return messages.side(self.context)

    def conversation(self):
        """The thread for the page (its latest items: ``conversation_window``);
        opening the page marks it read."""
        return self.conversation_window()[0]

    @memoize
    def conversation_window(self):
        """``(items, hidden)``: the thread's items the page shows, and the
        ids of the older ones it does not (#22: the last
        ``CONVERSATION_SHOWN`` items, every unread message among them, unless
        the citizen or agent asked for the whole thread with
        ``?messages=tous``; the REST ``@messages`` keeps the whole list).

        Opening the page marks the thread read. Marking read writes on a
        GET, which plone.protect refuses without a form token: CSRF
        protection is turned off for this response only when there is
        something to mark. The write is safe so: it has no input, it is
        idempotent, it only records that the current user (who may View the
        request) saw what they are shown — every unread message is — and a
        forged visit could do nothing else. (The page's script, once it
        shows new messages, marks them read by ``POST @messages/read``, a
        JSON write.)
        """
        current = self.conversation_side()
        unread = messages.unread_ids(self.context, current)
        if unread:
            alsoProvides(self.request, IDisableCSRFProtection)
            messages.mark_read(self.context, current)
        thread = messages.thread(self.context, current)
        start = 0
        if not self.conversation_shows_all():
            start = max(0, len(thread) - CONVERSATION_SHOWN)
            for index, item in enumerate(thread[:start]):
                if item["id"] in unread:
                    start = index
                    break
        hidden = [item["id"] for item in thread[:start]]
        # What is the same for every item is computed once (translations,
        # the time zone, the download base), and the template reads plain
        # dicts with python: expressions.
        base = f"{self.context.absolute_url()}/@@piece-jointe-message"
        zone = AccountTab.time_zone()
        translated = {}

        def fr(text):
            if not isinstance(text, Message) or text.mapping:
                return translate(text, context=self.request) if text else text
            if text not in translated:
                translated[text] = translate(text, context=self.request)
            return translated[text]

        items = []
        for item in thread[start:]:
            items.append(
                dict(
                    item,
                    kind_label=fr(KINDS[item["kind"]]),
                    author=fr(item["author"]),
                    status=fr(item["status"]),
                    when=AccountTab.format_time(item["time"], zone),
                    html=messages.to_html(item["text"]),
                    seen=", ".join(item["seen_by"] or ()),
                    files=[
                        dict(
                            a,
                            url=f"{base}/{item['id']}/{a['id']}",
                            size_label=size_text(a["size"]),
                            scan_label=fr(a["scan_label"]),
                        )
                        for a in item["attachments"]
                    ],
                )
            )
        return items, hidden

    def conversation_shows_all(self):
        return self.request.form.get(SHOW_ALL) == SHOW_ALL_VALUE

    def conversation_older(self):
        """The link to the whole thread when older items are not shown:
        ``{"url", "label", "count"}``, else None."""
        hidden = self.conversation_window()[1]
        if not hidden:
            return None
        count = len(hidden)
        label = translate(
            _(
                "conversation_older",
                default="Show the ${count} earlier messages",
                mapping={"count": count},
            )
            if count > 1
            else _("conversation_older_one", default="Show the earlier message"),
            context=self.request,
        )
        url = (
            f"{self.context.absolute_url()}?{SHOW_ALL}={SHOW_ALL_VALUE}"
            "#conversation-thread"
        )
        return {"url": url, "label": label, "count": count}

    def conversation_seen_by_label(self):
        return translate(SEEN_BY, context=self.request)

    def conversation_items_html(self):
        """The shown items of the thread as HTML (``conversation_items.pt``:
        every text escaped but the message's, made by ``messages.to_html``)."""
        return ITEMS_TEMPLATE(
            thread=self.conversation(),
            seen_by_label=self.conversation_seen_by_label(),
        )

    def message_error(self, *keys):
        """The translated error of the message form's ``keys`` (the first
        found; a key ``documents`` stands for every file error), or None."""
        errors = self.message_errors or {}
        for key in keys:
            for name, message in errors.items():
                if name == key or (key == "documents" and name.startswith("document")):
                    return translate(message, context=self.request)
        return None

    def message_text_error(self):
        """Shown under the text: its own error, or what refused the whole
        message when no other field shows it (a citizen's « internal », a
        closed conversation)."""
        keys = ["text", "conversation"]
        if not self.conversation_may_write_notes():
            keys.append("internal")
        return self.message_error(*keys)

    def message_files_error(self):
        return self.message_error("documents")

    def message_internal_error(self):
        if not self.conversation_may_write_notes():
            return None
        return self.message_error("internal")

    def message_error_list(self):
        """The error summary of the message form (``form_macros.pt``)."""
        result = []
        for anchor, label, message in (
            ("conversation-text", LABEL_TEXT, self.message_text_error()),
            ("conversation-files", LABEL_FILES, self.message_files_error()),
            ("conversation-internal", LABEL_INTERNAL, self.message_internal_error()),
        ):
            if message:
                result.append(
                    summary_error(
                        anchor, translate(label, context=self.request), message
                    )
                )
        return result

    @memoize
    def conversation_may_write(self):
        return messages.may_write(self.context, self.conversation_side())

    def conversation_closed(self):
        """The explanation shown to a citizen who may no longer write."""
        # ``messages.is_closed_for_citizen``, with the page's answers (#22)
        if (
            self.conversation_side() == store.CITIZEN
            and not self.conversation_may_write()
        ):
            return messages.CLOSED
        return None

    def conversation_may_write_notes(self):
        return self.conversation_side() == store.AGENT

    def conversation_notes_only(self):
        """The explanation shown to agents when only notes may be written."""
        return messages.NOTES_ONLY if messages.notes_only(self.context) else None

    def conversation_max_length(self):
        return messages.MAX_LENGTH

    def conversation_script_data(self):
        """What the page's script needs: the thread's address, the French
        labels it writes and the ids of the older items the page does not
        show (``hidden``: not new when ``@messages`` lists them)."""
        request = self.request

        def fr(message):
            return translate(message, context=request)

        return json.dumps(
            {
                "url": f"{self.context.absolute_url()}/@messages",
                "kinds": {
                    key: fr(value)
                    for key, value in KINDS.items()
                    if key != "note" or self.conversation_may_write_notes()
                },
                "seenBy": fr(SEEN_BY),
                "announceOne": fr(
                    _(
                        "conversation_announce_one",
                        default="New message from ${author}.",
                        mapping={"author": "{author}"},
                    )
                ),
                "announceMany": fr(
                    _(
                        "conversation_announce_many",
                        default="${count} new messages.",
                        mapping={"count": "{count}"},
                    )
                ),
                "empty": fr(EMPTY),
                "hidden": self.conversation_window()[1],
            }
        )


EMPTY = _("conversation_empty", default="No message yet.")
# the form's labels, as the template writes them (the error summary's)
LABEL_TEXT = _("label_message_text", default="Your message")
LABEL_FILES = _(
    "label_message_files", default="Attachments (optional: PDF, JPEG or PNG)"
)
LABEL_INTERNAL = _(
    "label_message_internal", default="Internal note (invisible to the citizen)"
)
SEEN_BY = _("conversation_seen_by", default="Seen by:")


@implementer(IPublishTraverse)
class MessageAttachmentDownload(BrowserView):
    """``@@piece-jointe-message/<message id>/<attachment id>``: a message's
    file, as a download (an internal note's files: agents only); a file not
    found clean by the antivirus (#21) is refused to everyone (409, the
    French reason)."""

    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        if len(self.params) >= 2:
            raise NotFound(name)
        self.params.append(name)
        return self

    def __call__(self):
        if len(self.params) != 2:
            raise NotFound("")
        attachment = messages.attachment(self.context, *self.params)
        if attachment is None:
            raise NotFound(self.params[-1])
        refusal = messages.download_refusal(attachment)
        if refusal is not None:
            return not_served(self.request, refusal)
        documents.set_download_headers(self.request.response, attachment)
        return stream_data(attachment.file)


class PostMessage:
    """``@@ecrire-message``: the form writing a message (POST only, with
    the form token). A refused message shows the request's page again with
    the errors and the form as typed (nothing stored); otherwise back to
    the page, at the new message.

    Mixed with ``browser.requests.RequestView`` in ``conversation_page``."""

    anchor = "messagerie"

    def __call__(self):
        url = f"{self.context.absolute_url()}#{self.anchor}"
        if self.request.method != "POST":
            self.request.response.redirect(url)
            return ""
        CheckAuthenticator(self.request)
        status = IStatusMessage(self.request)
        form = self.request.form
        value = form.get("files")
        items = value if isinstance(value, list) else [value]
        files = [
            {"filename": upload.filename, "data": upload.read()}
            for upload in items
            if upload is not None
            and not isinstance(upload, str)
            and getattr(upload, "filename", "")
        ]
        text = form.get("text", "")
        internal = bool(form.get("internal"))
        try:
            message = messages.post(self.context, text, files, internal=internal)
        except messages.ConversationClosed as refused:
            # no form on the page any more: the explanation, at the thread
            transaction.doom()
            for error in refused.errors.values():
                status.add(translate(error, context=self.request), type="error")
        except messages.MessageRefused as refused:
            transaction.doom()
            self.message_errors = refused.errors
            self.message_text = text if isinstance(text, str) else ""
            self.message_internal = internal
            return self.index()
        else:
            done = (
                _("message_note_written", default="Your internal note is saved.")
                if message.internal
                else _("message_message_sent", default="Your message is sent.")
            )
            status.add(translate(done, context=self.request), type="info")
            url = f"{self.context.absolute_url()}#message-{message.id}"
        self.request.response.redirect(url)
        return ""

    def has_errors(self):
        return bool(self.message_errors)
