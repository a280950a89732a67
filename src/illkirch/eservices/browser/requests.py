"""The citizen's requests: « Accueil » and « Demandes » tabs, a request's
page (answers, documents, history, messages, and the agents' actions), the
download of a document and the forms that change a request.

Every change goes through the domain layer (``requests.documents``,
``requests.processing``), as ``POST /@attachments`` and ``@workflow`` do.
"""

from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices import history
from illkirch.eservices.accounts import citizens
from illkirch.eservices.accounts import households
from illkirch.eservices.browser import badges
from illkirch.eservices.browser.citizen_area import AccountTab
from illkirch.eservices.browser.citizen_area import CitizenAreaTab
from illkirch.eservices.browser.conversation import RequestConversationMixin
from illkirch.eservices.browser.corrections import RequestCorrectionsMixin
from illkirch.eservices.browser.corrections import ask_from_form
from illkirch.eservices.browser.official_documents import RequestOfficialDocumentsMixin
from illkirch.eservices.browser.official_documents import receipt_link
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation import unread
from illkirch.eservices.corrections import asks as corrections
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import scanning
from illkirch.eservices.requests.queue import GUICHET_PERMISSION
from illkirch.eservices.roles import may
from illkirch.eservices.sizes import size_text
from illkirch.eservices.transitions import TransitionRefused
from plone import api
from plone.memoize.instance import memoize
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from zExceptions import NotFound
from zope.i18n import translate
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import transaction


def request_rows(brains, userid=None, request=None):
    """The rows of a citizen's list of requests (brains and their metadata
    only), with the unread messages of ``userid`` and, given the
    ``request``, the link of each one's filing receipt."""
    rows = []
    for brain in brains:
        count = unread.count(brain, userid, store.CITIZEN)
        rows.append(
            {
                "url": brain.getURL(),
                "number": brain.request_number,
                "service": brain.service_title,
                "member": brain.member_name,
                "state": brain.review_state,
                "status": processing.state_title(brain.review_state),
                "date": dates.format_date(brain.created),
                "iso": brain.created.ISO8601(),
                "unread": badges.unread_badge(count),
                "receipt": receipt_link(brain, request) if request else None,
            }
        )
    return rows


class RequestListing(CitizenAreaTab):
    """A tab listing the household's requests."""

    index = ViewPageTemplateFile("templates/requests_tab.pt")
    detailed = False

    def __call__(self):
        self.household = households.current_household()
        return self.index()

    def selected_state(self):
        value = self.request.form.get("statut", "")
        return value if value in processing.STATES else ""

    def rows(self):
        if self.household is None:
            return []
        brains = processing.household_requests(
            self.household, self.selected_state() or None
        )
        return request_rows(
            brains,
            households.current_userid(),
            self.request if self.detailed else None,
        )

    def state_options(self):
        selected = self.selected_state()
        return [
            {"value": key, "title": title, "selected": key == selected}
            for key, title in processing.STATES.items()
        ]

    def services_url(self):
        return f"{self.root_url()}/@@mon-espace-services"


class RequestsTab(RequestListing):
    """« Demandes »: the requests with date and member, filtered by status."""

    tab_name = "mon-espace-demandes"
    detailed = True
    empty_message = _("empty_requests", default="You have not filed any request yet.")


class RequestView(
    RequestConversationMixin,
    RequestCorrectionsMixin,
    RequestOfficialDocumentsMixin,
    CitizenAreaTab,
):
    """A request's page, for its citizen and the agents who process it.

    The citizen sees it in « Mon espace », below the « Demandes » tab, with
    a way back to their requests; the staff see it alone, with a way back
    to the Guichet.
    """

    index = ViewPageTemplateFile("templates/request_view.pt")
    tab_name = "mon-espace-demandes"
    aria_current = "true"  # a page below the « Demandes » tab

    @property
    def page_title(self):
        return self.context.Title()

    @property
    @memoize
    def in_my_space(self):
        return citizens.is_citizen(self.context)

    def requests_url(self):
        return f"{self.root_url()}/@@mon-espace-demandes"

    def guichet_url(self):
        """The Guichet, for those who use it."""
        if not may(GUICHET_PERMISSION, self.context):
            return None
        return f"{self.root_url()}/@@guichet"

    @memoize
    def state(self):
        return processing.state(self.context)

    def status(self):
        return processing.state_title(self.state())

    def submitted(self):
        moment = self.context.submitted
        return AccountTab.format_time(moment.isoformat()) if moment else ""

    def just_sent(self):
        return bool(self.request.form.get("envoyee"))

    def postal_address(self):
        return api.portal.get_registry_record(
            "illkirch.eservices.postal_address", default=""
        )

    @memoize
    def service(self):
        """The request's Service, looked up once for the page."""
        return documents.service_of(self.context)

    def attachments(self):
        service = self.service()
        titles = (
            {doc.getId(): doc.Title() for doc in service.documents()} if service else {}
        )
        base = self.context.absolute_url()
        return [
            {
                # only a document the antivirus found clean is opened (#21)
                "url": f"{base}/@@piece-jointe/{a.id}"
                if scanning.is_available(a)
                else None,
                "pending": scanning.status(a) == "pending",
                "filename": a.filename,
                "size": size_text(a.size),
                "document": titles.get(a.document, ""),
                "added": AccountTab.format_time(a.added),
            }
            for a in self.context.attachments
        ]

    def quarantined(self):
        """The documents refused by the antivirus (#21)."""
        return [
            {
                "filename": record["filename"],
                "document": record["document_title"],
                "refused": AccountTab.format_time(record["scanned"])
                if record["scanned"]
                else "",
            }
            for record in scanning.quarantined(self.context)
        ]

    def can_add_documents(self):
        # not while a correction is asked (requests.documents.IDocumentsLock)
        return documents.may_add(self.context)

    def document_choices(self):
        service = self.service()
        return [
            {"id": doc.getId(), "title": doc.Title()}
            for doc in (service.documents() if service else [])
        ]

    @memoize
    def transitions(self):
        return processing.available(self.context)

    def citizen_transitions(self):
        return [
            t for t in self.transitions() if t["id"] in processing.CITIZEN_TRANSITIONS
        ]

    def agent_transitions(self):
        return [
            t
            for t in self.transitions()
            if t["id"] not in processing.CITIZEN_TRANSITIONS
        ]

    def assignment(self):
        """The assignment block of the agents: current agent and choices."""
        from illkirch.eservices.requests import assignment

        if not assignment.may_assign(self.context):
            return None
        current = self.context.assignee or ""
        return {
            "current": current,
            "choices": [
                dict(choice, selected=choice["id"] == current)
                for choice in assignment.assignable(self.context)
            ],
        }

    def today(self):
        return processing.today().isoformat()

    def is_processor(self):
        """Whether the current user sees the page as the town's agents do
        (the citizen's contact, internal history entries, agents' names).

        The conversation's rule (``messages.side``): the workflow gives
        « Process requests » only to Manager on a closed request, yet the
        agents of its group still read it as agents."""
        return self.conversation_side() == store.AGENT

    def contact(self):
        info = processing.contact(self.context)
        info["by_phone"] = info["preference"] == "phone"
        return info

    def history(self):
        me = households.current_userid()
        processor = self.is_processor()
        result = []
        for entry in reversed(history.entries(self.context)):
            if not processor and entry["action"] in processing.INTERNAL_ACTIONS:
                continue
            if processor:
                actor = entry["actor"]
            elif entry["actor"] == me:
                actor = _("history_actor_you", default="You")
            else:
                actor = _("history_actor_town", default="The town's services")
            result.append(
                {
                    "when": AccountTab.format_time(entry["time"]),
                    "iso": entry["time"],
                    "label": processing.ACTIONS.get(entry["action"], entry["action"]),
                    "status": processing.state_title(entry["state"]),
                    "comment": entry["text"],
                    "actor": actor,
                }
            )
        return result


@implementer(IPublishTraverse)
class AttachmentDownload(BrowserView):
    """``@@piece-jointe/<id>``: a document of the request, as a download."""

    attachment_id = None

    def publishTraverse(self, request, name):
        if self.attachment_id is not None:
            raise NotFound(name)
        self.attachment_id = name
        return self

    def __call__(self):
        attachment = self.context.attachment(self.attachment_id or "")
        if attachment is None:
            raise NotFound(self.attachment_id)
        try:
            scanning.check_available(attachment)
        except scanning.DocumentNotAvailable as refused:
            # never opened before the antivirus found it clean (#21)
            response = self.request.response
            response.setStatus(refused.status)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            response.setHeader("Cache-Control", "private, no-store")
            return translate(refused.message, context=self.request)
        documents.set_download_headers(self.request.response, attachment)
        return stream_data(attachment.file)


class RequestAction(BrowserView):
    """Base of the POST-only forms of the request page."""

    def __call__(self):
        if self.request.method != "POST":
            self.request.response.redirect(self.context.absolute_url())
            return ""
        CheckAuthenticator(self.request)
        messages = IStatusMessage(self.request)
        try:
            text = self.act()
        except (TransitionRefused, FieldErrors) as error:
            transaction.doom()
            for message in self.error_messages(error):
                messages.add(message, type="error")
        else:
            messages.add(translate(text, context=self.request), type="info")
        self.request.response.redirect(f"{self.context.absolute_url()}#{self.anchor}")
        return ""

    def error_messages(self, error):
        if isinstance(error, TransitionRefused):
            return [str(error)]
        return [
            translate(message, context=self.request)
            for message in error.errors.values()
        ]


class AddDocuments(RequestAction):
    """``@@ajouter-pieces``: the citizen adds documents."""

    anchor = "documents"

    def act(self):
        document = self.request.form.get("document", "")
        value = self.request.form.get("files")
        items = value if isinstance(value, list) else [value]
        files = [
            {"document": document, "filename": upload.filename, "data": upload.read()}
            for upload in items
            if upload is not None
            and not isinstance(upload, str)
            and getattr(upload, "filename", "")
        ]
        added = documents.add(self.context, files)
        return _(
            "message_documents_added",
            default="${count} document(s) added.",
            mapping={"count": len(added)},
        )


class FireTransition(RequestAction):
    """``@@changer-statut``: a transition with its message."""

    anchor = "historique"

    def act(self):
        transition = self.request.form.get("transition", "")
        posted_on = None
        if transition == "send" and self.request.form.get("posted_on"):
            try:
                posted_on = dates.parse_date(self.request.form["posted_on"])
            except ValueError:
                raise TransitionRefused(
                    translate(
                        _("error_answer_date", default="Enter a date as DD/MM/YYYY."),
                        context=self.request,
                    ),
                    self.context.absolute_url(),
                ) from None
        if transition == corrections.ASK_TRANSITION:
            # with the answers and documents to correct (#17)
            fields, docs = ask_from_form(self.request.form)
            corrections.ask(
                self.context, fields, docs, self.request.form.get("comment", "")
            )
        else:
            processing.fire(
                self.context,
                transition,
                self.request.form.get("comment", ""),
                posted_on=posted_on,
            )
        return _(
            "message_request_status_changed",
            default="The request is now: ${status}.",
            mapping={
                "status": translate(
                    processing.state_title(processing.state(self.context)),
                    context=self.request,
                )
            },
        )
