"""Corrections in place on a request's page (#17): what the agent asks,
and the citizen's form of the asked answers and documents.

The agent ticks the answers and documents in the processing form
(``@@changer-statut``, ``ask_from_form``); the citizen sends the asked ones
to ``@@corriger`` (``CorrectRequest``), which shows the request's page
again with the errors, or goes back to it once the correction is sent.
Every rule is the domain's (``corrections.asks``).
"""

from illkirch.eservices import _
from illkirch.eservices.browser.form_field import field_errors
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.browser.question_field import PREFIX
from illkirch.eservices.browser.question_field import document_uploads
from illkirch.eservices.browser.question_field import question_field
from illkirch.eservices.corrections import asks
from illkirch.eservices.requests import answers as answer_rules
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from plone.protect import CheckAuthenticator
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from zope.i18n import translate

import transaction


ASK_FIELDS = "correct_fields"
ASK_DOCUMENTS = "correct_documents"
DOCUMENT_PREFIX = "doc."


def _list(value):
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if v]


def ask_from_form(form):
    """The answers and documents an agent ticked: ``(fields, documents)``."""
    return _list(form.get(ASK_FIELDS)), _list(form.get(ASK_DOCUMENTS))


class RequestCorrectionsMixin:
    """Mixed into ``browser.requests.RequestView``."""

    corrections_macros = ViewPageTemplateFile("templates/corrections.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
    correction_errors = None
    correction_raw = None

    # the agent's ticks -------------------------------------------------------

    def correction_choices(self):
        """What the agent may tick in the processing form, when they may
        ask for more: ``{"fields": [...], "documents": [...]}``."""
        if "ask_documents" not in [t["id"] for t in self.agent_transitions()]:
            return None
        if processing.household_of(self.context) is None:
            return None  # no account: nobody to correct it online
        displays = {a["name"]: a["display"] for a in self.context.answers}
        fields = [
            {
                "id": f"correct-field-{index}",
                "value": name,
                "title": forms.text(field.title, self.request),
                "current": displays.get(name, ""),
            }
            for index, (name, field) in enumerate(
                asks.questions(self.context, self.service())
            )
        ]
        files = {}
        for attachment in self.context.attachments:
            files.setdefault(attachment.document, []).append(attachment.filename)
        docs = [
            {
                "id": f"correct-document-{index}",
                "value": doc_id,
                "title": doc.Title(),
                "current": ", ".join(files.get(doc_id, ())),
            }
            for index, (doc_id, doc) in enumerate(
                asks.service_documents(self.context, self.service())
            )
        ]
        if not fields and not docs:
            return None
        return {"fields": fields, "documents": docs}

    def open_correction(self):
        """The open ask, for the agents' page: the asked labels."""
        if not self.is_processor():
            return None
        ask = asks.open_ask(self.context)
        if ask is None:
            return None
        labels = {
            n: forms.text(f.title, self.request)
            for n, f in asks.questions(self.context, self.service())
        }
        titles = {
            d: doc.Title()
            for d, doc in asks.service_documents(self.context, self.service())
        }
        return {
            "items": [labels.get(n, n) for n in ask["fields"]]
            + [titles.get(d, d) for d in ask["documents"]],
        }

    # the citizen's form ------------------------------------------------------

    def correction(self):
        """The citizen's correction form, when they have one to send."""
        if not asks.may_correct(self.context) or not asks.is_open(self.context):
            return None
        ask = asks.open_ask(self.context)
        return {
            "message": ask["message"],
            "fields": self.correction_fields(ask),
            "documents": self.correction_documents(ask),
        }

    def correction_error(self, key):
        message = (self.correction_errors or {}).get(key)
        return translate(message, context=self.request) if message else None

    def correction_fields(self, ask):
        if self.correction_raw is not None:
            raw = self.correction_raw
        else:
            raw = answer_rules.raw_of(self.context.answers)
        known = dict(asks.questions(self.context, self.service()))
        return [
            self.correction_field(name, known[name], raw.get(name))
            for name in ask["fields"]
            if name in known
        ]

    def correction_field(self, name, field, value):
        """A question as ``form_macros.pt``'s field macro shows it (the
        wizard's ``field_info``, prefilled with ``value``)."""
        if forms.kind(field) == "datetime" and isinstance(value, str):
            value = value[:16]  # stored ISO with seconds and zone: datetime-local
        return question_field(
            name,
            field,
            self.correction_service(),
            self.request,
            value,
            self.correction_error(name),
        )

    def correction_service(self):
        return self.service()  # RequestView's, looked up once a page

    def correction_documents(self, ask):
        titles = dict(asks.service_documents(self.context, self.service()))
        result = []
        for doc_id in ask["documents"]:
            doc = titles.get(doc_id)
            field_id = f"field-document-{doc_id}"
            error = self.correction_error(f"document-{doc_id}")
            result.append(
                {
                    "id": field_id,
                    "name": DOCUMENT_PREFIX + doc_id,
                    "title": doc.Title() if doc is not None else doc_id,
                    "current": ", ".join(
                        a.filename
                        for a in self.context.attachments
                        if a.document == doc_id
                    ),
                    "error": error,
                    "described_by": " ".join(
                        x
                        for x in (f"{field_id}-help", error and f"{field_id}-error")
                        if x
                    ),
                }
            )
        return result

    def correction_error_list(self, correction):
        """The error summary of the citizen's correction form."""
        if not self.correction_errors:
            return []
        result = field_errors(correction["fields"])
        for doc in correction["documents"]:
            if doc["error"]:
                result.append(summary_error(doc["id"], doc["title"], doc["error"]))
        shown = {f["name"][len(PREFIX) :] for f in correction["fields"]} | {
            f"document-{d['name'][len(DOCUMENT_PREFIX) :]}"
            for d in correction["documents"]
        }
        for key in self.correction_errors:
            if key not in shown:
                result.append(
                    summary_error("resubmit-title", "", self.correction_error(key))
                )
        return result


class CorrectRequest:
    """``@@corriger``: the citizen sends the asked corrections (POST). With
    errors, the request's page again with them (nothing stored); otherwise
    back to the request's page with a confirmation.

    Mixed with ``browser.requests.RequestView`` in ``correction_page``."""

    def __call__(self):
        if self.request.method != "POST":
            self.request.response.redirect(self.context.absolute_url())
            return ""
        CheckAuthenticator(self.request)
        ask = asks.open_ask(self.context) or {"fields": [], "documents": []}
        raw = self.read_correction(ask)
        try:
            asks.correct(
                self.context,
                raw,
                self.correction_uploads(ask),
                html=True,
                comment=self.request.form.get("comment", ""),
            )
        except asks.CorrectionError as error:
            transaction.doom()
            if not asks.is_open(self.context):
                # nothing (more) to correct: sent twice, or no longer asked
                for message in error.errors.values():
                    IStatusMessage(self.request).add(
                        translate(message, context=self.request), type="error"
                    )
                self.request.response.redirect(self.context.absolute_url())
                return ""
            self.correction_errors = error.errors
            self.correction_raw = raw
            return self.index()
        IStatusMessage(self.request).add(
            translate(
                _(
                    "message_correction_sent",
                    default="Your corrections have been sent: the town's "
                    "services process your request again.",
                ),
                context=self.request,
            ),
            type="info",
        )
        self.request.response.redirect(self.context.absolute_url())
        return ""

    def has_errors(self):
        return bool(self.correction_errors)

    def read_correction(self, ask):
        """The asked answers as typed (the wizard's ``read_answers``)."""
        known = dict(asks.questions(self.context))
        raw = {}
        for name in ask["fields"]:
            field = known.get(name)
            if field is None:
                continue
            value = self.request.form.get(PREFIX + name)
            if forms.kind(field) == "multichoice":
                if value is None:
                    value = []
                elif isinstance(value, str):
                    value = [value]
            raw[name] = value
        return raw

    def correction_uploads(self, ask):
        return [
            upload
            for doc_id in ask["documents"]
            for upload in document_uploads(
                self.request, DOCUMENT_PREFIX + doc_id, doc_id
            )
        ]
