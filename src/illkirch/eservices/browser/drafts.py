"""Drafts in the request wizard (#17): saved at each step and while
typing, resumed from « Mon espace ».

The wizard (``browser.services.FileRequestWizard``) calls the hooks of
``DraftWizardMixin``; the draft's id travels in the hidden field ``draft``.
Without JavaScript the draft is saved at each step that moves on, and by
the button « Enregistrer le brouillon »; with it, ``static/drafts.js``
also saves the current step's answers through ``PATCH /@drafts/<id>``
every 30 s while the citizen types. Only a logged-in citizen with a
household has drafts (``drafts.store.current_household``).

« Mon espace → Accueil » shows the household's drafts (the section view
``@@demandes-en-cours-de-saisie``) with « Reprendre » (the wizard at the
saved step, ``?brouillon=<id>``) and « Supprimer » (``@@supprimer-brouillon``,
a confirmation and a POST with the CSRF token).
"""

from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices.antivirus import served
from illkirch.eservices.browser.citizen_area import CitizenAreaTab
from illkirch.eservices.business_days import TIMEZONE
from illkirch.eservices.drafts import store
from illkirch.eservices.requests import submission
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zope.i18n import translate
from zope.i18nmessageid import Message

import logging
import transaction


logger = logging.getLogger(__name__)

DRAFT_FIELD = "draft"
RESUME_PARAM = "brouillon"
SAVE_ACTION = "draft-save"
REMOVE_ACTION = "draft-remove:"
STAY_ACTION = "stay"  # any action ``wizard.move`` does not know: the same step
AUTOSAVE_MS = 30_000

SAVED_AT = _("draft_saved_at", default="Draft saved at ${time}")
SAVE_FAILED = _(
    "draft_save_failed",
    default="The draft could not be saved: your answers are still on this page.",
)
FILE_REMOVED = _("draft_file_removed", default="The file ${name} was removed.")
DELETED = _("message_draft_deleted", default="The request being filled in was deleted.")


def local_time(moment):
    return moment.astimezone(TIMEZONE).strftime("%H:%M")


class DraftWizardMixin:
    """Mixed into ``browser.services.FileRequestWizard``: its hooks are
    called by the wizard."""

    draft = None
    draft_status = ""
    drafts_macros = ViewPageTemplateFile("templates/drafts_macros.pt")

    def drafts_enabled(self):
        """The wizard has a household and the user's own (looked up once per
        view: #22, four times a « Suivant » before)."""
        household = getattr(self, "household", None)
        if household is None:
            return False
        kept = getattr(self, "_drafts_household", None)
        if kept is None or kept[0] is not household:
            kept = self._drafts_household = (
                household,
                store.current_household() is not None,
            )
        return kept[1]

    # hooks -----------------------------------------------------------------

    def resume_draft(self):
        """At the start of a request to the wizard (after its form values
        are read): take the saved answers and files of a draft."""
        self.draft = None
        self.draft_status = ""
        if not self.drafts_enabled():
            return
        form = self.request.form
        posted = self.request.method == "POST"
        draft_id = form.get(DRAFT_FIELD) if posted else form.get(RESUME_PARAM)
        draft = store.get(self.household, draft_id if isinstance(draft_id, str) else "")
        if draft is not None and draft.service_uid != self.context.UID():
            draft = None
        self.draft = draft
        if not posted:
            if draft is not None:
                self.restore(draft)
            return
        action = form.get("action", "")
        if action == SAVE_ACTION or action.startswith(REMOVE_ACTION):
            CheckAuthenticator(self.request)
            form["action"] = STAY_ACTION  # the wizard stays on this step
            step = form.get("step")
            self.step = step if step in self.step_ids else self.step_ids[0]
            if action == SAVE_ACTION:
                self.keep(self.step, self.draft_uploads())
            elif self.draft is not None:
                self.remove_kept(action[len(REMOVE_ACTION) :])

    def save_draft(self):
        """After a step's POST that moved on (``self.step`` is the new
        step): keep what was typed, and the files chosen at the last step."""
        if self.drafts_enabled():
            self.keep(self.step, self.draft_uploads())

    def draft_files(self):
        """The files kept with the draft, as ``submission.submit`` takes
        them."""
        if self.draft is None:
            return []
        return store.files_for_submission(self.draft)

    def draft_submitted(self, request_obj):
        """Once the request is filed: the draft is no longer needed."""
        if self.draft is not None:
            store.delete(self.household, self.draft)
            self.draft = None

    def draft_refused(self):
        """The last step's POST was refused (its transaction doomed): the
        answers and the files chosen are kept with the draft, in a new
        transaction, so that the citizen does not choose them again."""
        if not self.drafts_enabled():
            return
        files = self.draft_uploads()
        draft_id = self.draft.id if self.draft is not None else None
        transaction.abort()
        self.draft = store.get(self.household, draft_id) if draft_id else None
        self.keep(self.step, files, announce=False)

    # saving ----------------------------------------------------------------

    def restore(self, draft):
        """The wizard at the draft's step, everything filled in."""
        self.raw = dict(
            self.raw,
            **{
                name: value
                for name, value in draft.answers.items()
                if value is not None
            },
        )
        self.member_id = draft.member or self.member_id
        self.requester = {
            name: draft.requester.get(name) or self.requester.get(name, "")
            for name in self.requester
        }
        self.by_post = bool(draft.by_post)
        if draft.step in self.step_ids:
            self.step = draft.step

    def draft_uploads(self):
        """The files chosen on this page (read again from their start: the
        wizard may have read them)."""
        files = []
        for doc in self.service_documents():
            value = self.request.form.get(f"doc.{doc.getId()}")
            for upload in value if isinstance(value, list) else [value]:
                if not getattr(upload, "filename", "") or isinstance(upload, str):
                    continue
                upload.seek(0)
                files.append(
                    {
                        "document": doc.getId(),
                        "filename": upload.filename,
                        "data": upload.read(),
                    }
                )
        return files

    def draft_data(self, step):
        return {
            "answers": {
                name: value for name, value in self.raw.items() if value is not None
            },
            "member": self.member_id or "",
            "requester": {k: v for k, v in self.requester.items() if v},
            "by_post": bool(self.by_post),
            "step": step,
        }

    def keep(self, step, files=(), announce=True):
        """Create or update the draft; a file refused is not kept (the
        others are), and nothing here stops the wizard."""
        data = self.draft_data(step)
        if files:
            checked, _errors = store.check_files(self.context, self.draft, files)
            files = [f for f in files if any(c["data"] is f["data"] for c in checked)]
        try:
            if self.draft is None:
                self.draft = store.create(self.household, self.context, data, files)
            else:
                store.update(self.household, self.draft, data, files, merge=False)
        except (store.DraftRefused, submission.SubmissionError) as error:
            logger.info("Draft not saved: %s", ", ".join(error.errors))
            self.draft_status = translate(SAVE_FAILED, context=self.request)
            return
        if announce:
            self.draft_status = self.saved_message(self.draft)

    def remove_kept(self, file_id):
        kept = self.draft.file(file_id)
        if kept is None:
            return
        store.remove_file(self.draft, file_id)
        self.keep(self.step)
        self.draft_status = translate(
            Message(FILE_REMOVED, mapping={"name": kept.filename}),
            context=self.request,
        )

    # rendering -------------------------------------------------------------

    def saved_message(self, draft):
        return translate(
            Message(SAVED_AT, mapping={"time": local_time(draft.modified)}),
            context=self.request,
        )

    def draft_id(self):
        return self.draft.id if self.draft is not None else ""

    def kept_files(self):
        """The files kept with the draft, by document."""
        if self.draft is None:
            return []
        titles = {doc.getId(): doc.Title() for doc in self.service_documents()}
        return [
            {
                "id": kept.id,
                "filename": kept.filename,
                "document": titles.get(kept.document, kept.document),
                "size": max(1, kept.size // 1024),
                "action": f"{REMOVE_ACTION}{kept.id}",
                "scan_label": translate(label, context=self.request)
                if (label := served.status_label(kept))
                else "",
            }
            for kept in self.draft.files
        ]

    def autosave(self):
        """The data attributes of the form for ``drafts.js`` (None: no
        autosave)."""
        if not self.drafts_enabled() or getattr(self, "refusal", None):
            return None
        portal_url = api.portal.get().absolute_url()
        return {
            "url": f"{portal_url}/@drafts",
            "service": self.context.UID(),
            "delay": str(AUTOSAVE_MS),
            "saved": translate(
                Message(SAVED_AT, mapping={"time": "${time}"}), context=self.request
            ),
            "failed": translate(SAVE_FAILED, context=self.request),
            "script": f"{portal_url}/++plone++illkirch.eservices/drafts.js",
        }


def draft_row(draft, service=None, days=None, portal_url=None):
    """A draft as « Mon espace » lists it (``days``, ``portal_url``: the
    expiry's days and the portal's URL, when the caller lists several)."""
    modified = draft.modified.astimezone(TIMEZONE)
    expires = store.expires(draft, days).astimezone(TIMEZONE)
    portal_url = portal_url or api.portal.get().absolute_url()
    service = service if service is not None else store.service_of(draft)
    return {
        "id": draft.id,
        "service": draft.service_title,
        "saved": dates.format_datetime(modified),
        "saved_iso": modified.isoformat(timespec="minutes"),
        "expires": dates.format_date(expires.date()),
        "expires_iso": expires.date().isoformat(),
        "resume_url": f"{service.absolute_url()}/@@deposer?{RESUME_PARAM}={draft.id}"
        if service is not None
        else None,
        "delete_url": f"{portal_url}/@@supprimer-brouillon?{RESUME_PARAM}={draft.id}",
    }


class DraftsSection(BrowserView):
    """``@@demandes-en-cours-de-saisie``: the section « Demandes en cours de
    saisie » of « Mon espace → Accueil » (nothing without drafts)."""

    index = ViewPageTemplateFile("templates/drafts_section.pt")

    def __call__(self):
        drafts = store.drafts_of(store.current_household())
        if not drafts:
            self.rows = []
            return ""
        days = store.expiry_days()
        portal_url = api.portal.get().absolute_url()
        self.rows = [draft_row(d, days=days, portal_url=portal_url) for d in drafts]
        return self.index() if self.rows else ""


class DeleteDraft(CitizenAreaTab):
    """``@@supprimer-brouillon?brouillon=<id>``: asks for confirmation, then
    deletes the draft and its documents (POST with the CSRF token)."""

    tab_name = "mon-espace"
    aria_current = "true"
    index = ViewPageTemplateFile("templates/drafts_delete.pt")
    page_title = _("heading_delete_draft", default="Delete a request being filled in")

    def __call__(self):
        household = store.current_household()
        self.draft = store.get(household, self.request.form.get(RESUME_PARAM) or "")
        if self.draft is None:
            raise NotFound("No such draft")
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            store.delete(household, self.draft)
            api.portal.show_message(DELETED, request=self.request, type="info")
            self.request.response.redirect(
                f"{api.portal.get().absolute_url()}/@@mon-espace"
            )
            return ""
        self.row = draft_row(self.draft)
        return self.index()
