"""Online services: the catalogue tab, a service's page, and the wizard
that files a request (« Faire la demande »).

The wizard shows the service's easyform fieldsets as steps, after the choice
of the member concerned and before the documents. What was typed travels
with each step (hidden fields): going back keeps it, nothing is stored
before the last step, and each step is checked on the server by the rules
of ``POST /@requests`` (``requests.answers``, ``requests.submission``).
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.browser import wizard
from illkirch.eservices.browser.citizen_area import CitizenAreaTab
from illkirch.eservices.browser.drafts import DraftWizardMixin
from illkirch.eservices.browser.form_field import display_value
from illkirch.eservices.browser.form_field import field_errors
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.browser.forms import captcha_challenge
from illkirch.eservices.browser.forms import field_info
from illkirch.eservices.browser.question_field import PREFIX
from illkirch.eservices.browser.question_field import document_uploads
from illkirch.eservices.browser.question_field import question_field
from illkirch.eservices.browser.reuse import ReuseWizardMixin
from illkirch.eservices.requests import answers as answer_rules
from illkirch.eservices.requests import civil_status
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import requesters
from illkirch.eservices.requests import submission
from illkirch.eservices.roles import may
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import quote
from zope.i18n import translate

import transaction


MEMBER_STEP = "membre"
REQUESTER_STEP = "coordonnees"
FINAL_STEP = "envoi"
REQUESTER_PREFIX = "r."


def services_by_category():
    """``[{"category", "services": [...]}]`` in the registry's order."""
    order = list(
        api.portal.get_registry_record(
            "illkirch.eservices.service_categories", default=[]
        )
        or []
    )
    groups = {}
    for service in submission.services():
        groups.setdefault(service.category or "", []).append(service)
    ordered = [c for c in order if c in groups] + sorted(
        c for c in groups if c not in order
    )
    return [{"category": c, "services": groups[c]} for c in ordered]


class ServicesTab(CitizenAreaTab):
    """« Services »: the catalogue, by category."""

    tab_name = "mon-espace-services"
    index = ViewPageTemplateFile("templates/services_tab.pt")
    empty_message = _("empty_services", default="No online service is open yet.")

    def groups(self):
        return services_by_category()


class ServiceView(BrowserView):
    """A service's public page: what it is for, what to prepare, the button."""

    index = ViewPageTemplateFile("templates/service_view.pt")

    def __call__(self):
        return self.index()

    def documents(self):
        return self.context.documents()

    def file_url(self):
        return f"{self.context.absolute_url()}/@@deposer"

    def is_open(self):
        return submission.is_open(self.context)

    def prefill_url(self):
        """The editors' « Préremplissage » page (None for the others)."""
        if not may("Modify portal content", self.context):
            return None
        return f"{self.context.absolute_url()}/@@preremplissage"

    def concerns_title(self):
        from illkirch.eservices.content.service import CONCERNS

        concerns = self.context.concerns
        return CONCERNS.getTerm(concerns).title if concerns in CONCERNS else ""


class FileRequestWizard(DraftWizardMixin, ReuseWizardMixin, BrowserView):
    """``@@deposer`` on a service: the steps of a request."""

    index = ViewPageTemplateFile("templates/file_request.pt")
    sent_template = ViewPageTemplateFile("templates/file_request_sent.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")

    @property
    def page_title(self):
        """The service's title, in the browser title after the step."""
        return self.context.Title()

    def __call__(self):
        self.errors = {}
        self.refusal = None
        self.step = None
        self.household = households.current_household()
        if api.user.is_anonymous() and self.context.account_required:
            portal_url = api.portal.get().absolute_url()
            came_from = quote(
                self.request.get("ACTUAL_URL", self.context.absolute_url())
            )
            self.request.response.redirect(f"{portal_url}/login?came_from={came_from}")
            return ""
        try:
            submission.check_can_file(self.context, self.household)
            self.refusal = None
        except submission.SubmissionError as error:
            self.refusal = next(iter(error.errors.values()))
            return self.index()
        self.step_ids = self._step_ids()
        self.raw = self.read_answers()
        self.member_id = self.request.form.get("member", "")
        self.requester = {
            name: self.request.form.get(REQUESTER_PREFIX + name, "")
            for name in requesters.FIELDS
        }
        self.by_post = bool(self.request.form.get("by_post"))
        self.step = self.step_ids[0]
        if self.request.method != "POST":
            self.raw = dict(self.prefill(), **self.raw)
        elif self.request.form.get("step") == MEMBER_STEP:
            self.raw.update(self.prefill_member())
        self.resume_draft()
        result = wizard.handle_post(self)
        return self.index() if result is None else result

    # steps ---------------------------------------------------------------

    def asks_requester(self):
        return submission.needs_requester(self.context, self.household)

    def asks_captcha(self):
        return self.asks_requester() and api.user.is_anonymous()

    def _step_ids(self):
        ids = [REQUESTER_STEP] if self.asks_requester() else []
        if self.context.concerns != "none" and self.household is not None:
            ids.append(MEMBER_STEP)
        ids += [step.id for step in forms.steps(self.context)]
        return ids + [FINAL_STEP]

    def form_steps(self):
        return {step.id: step for step in forms.steps(self.context)}

    def service_documents(self):
        """The service's supporting documents, read once per page (#22:
        the step's title, the fields, the summary and the kept files each
        asked for them)."""
        found = self.__dict__.get("_service_documents")
        if found is None:
            found = self._service_documents = self.context.documents()
        return list(found)

    def steps(self):
        current = self.step_ids.index(self.step)
        form_steps = self.form_steps()
        result = []
        for index, step_id in enumerate(self.step_ids):
            result.append(
                {
                    "id": step_id,
                    "number": index + 1,
                    "title": self.step_title(step_id, form_steps),
                    "state": "done"
                    if index < current
                    else "current"
                    if index == current
                    else "todo",
                }
            )
        return result

    def step_title(self, step_id, form_steps=None):
        if step_id == MEMBER_STEP:
            return _("step_member", default="Person concerned")
        if step_id == REQUESTER_STEP:
            return _("step_requester", default="About you")
        if step_id == FINAL_STEP:
            if self.service_documents():
                return _("step_final", default="Documents and sending")
            return _("step_final_no_documents", default="Check and send")
        form_steps = form_steps or self.form_steps()
        return form_steps[step_id].label

    def step_heading(self):
        return wizard.step_heading(
            self.step_number, self.step_count, self.step_title(self.step), self.request
        )

    def title_step(self):
        """The step in the page's title (``viewlets.TitleViewlet``); once
        sent, « Demande envoyée »."""
        if getattr(self, "sent", None):
            return _("title_request_sent", default="Request sent")
        return self.step_heading() if self.step and not self.refusal else None

    def has_errors(self):
        return bool(self.errors)

    def steps_label(self):
        return translate(
            _("label_request_steps", default="Steps of the request"),
            context=self.request,
        )

    def submit_label(self):
        return _("button_send_request", default="Send my request")

    def is_first_step(self):
        return self.step == self.step_ids[0]

    def is_last_step(self):
        return self.step == FINAL_STEP

    @property
    def step_number(self):
        return self.step_ids.index(self.step) + 1

    @property
    def step_count(self):
        return len(self.step_ids)

    def step_help(self):
        step = self.form_steps().get(self.step)
        return step.help if step is not None else ""

    # form data -------------------------------------------------------------

    def read_answers(self):
        raw = {}
        for name, field in forms.answer_fields(self.context):
            value = self.request.form.get(PREFIX + name)
            if forms.kind(field) == "multichoice":
                if value is None:
                    value = []
                elif isinstance(value, str):
                    value = [value]
            if value is not None:
                raw[name] = value
        return raw

    def handle(self, action):
        current = self.request.form.get("step")
        if current not in self.step_ids:
            current = self.step_ids[0]
        if action == "submit" and current == FINAL_STEP:
            self.step = current
            return self.submit()
        self.step, self.errors = wizard.move(
            self.step_ids, current, action, self.check_step
        )
        if self.step != current:
            self.save_draft()
        return None

    def check_step(self, step_id):
        if step_id == REQUESTER_STEP:
            return requesters.check(self.requester)[1]
        if step_id == MEMBER_STEP:
            try:
                submission.check_member(self.context, self.household, self.member_id)
            except submission.SubmissionError as error:
                return error.errors
            return {}
        step = self.form_steps().get(step_id)
        if step is None:
            return {}
        names = [n for n, _f in step.fields]
        values, errors = answer_rules.validate(
            self.context, self.raw, names=names, html=True
        )
        # the service's own rules (civil-status acts), on this step's answers
        for key, message in civil_status.check(
            self.context, values, processing.today()
        ).items():
            if key in names and key not in errors:
                errors[key] = message
        return errors

    def uploads(self):
        return [
            upload
            for doc in self.service_documents()
            for upload in document_uploads(
                self.request, f"doc.{doc.getId()}", doc.getId()
            )
        ]

    def submit(self):
        captcha = {
            "token": self.request.form.get("captcha_token", ""),
            "answer": self.request.form.get("captcha_answer", ""),
        }
        try:
            request_obj = submission.submit(
                self.context,
                self.raw,
                member_id=self.member_id,
                files=self.uploads() + self.draft_files() + self.locker_files(),
                by_post=self.by_post,
                html=True,
                requester=self.requester,
                captcha=captcha,
            )
        except submission.SubmissionError as error:
            transaction.doom()
            self.errors = error.errors
            self.step = self.first_step_with_errors()
            self.draft_refused()
            return None
        self.draft_submitted(request_obj)
        self.step = None  # sent: the next page is not a step
        if request_obj.tracking_digest:
            # The tracking code is shown once, here, and sent by email.
            # Plain values: an anonymous requester may not access the request.
            self.sent = {
                "number": request_obj.number,
                "code": submission.last_tracking_code(self.request),
                "follow_url": processing.follow_url(request_obj),
            }
            return self.sent_template()
        self.request.response.redirect(f"{request_obj.absolute_url()}?envoyee=1")
        return ""

    def first_step_with_errors(self):
        if REQUESTER_STEP in self.step_ids and any(
            key.startswith("requester.") for key in self.errors
        ):
            return REQUESTER_STEP
        if "member" in self.errors and MEMBER_STEP in self.step_ids:
            return MEMBER_STEP
        for step in forms.steps(self.context):
            if any(name in self.errors for name, _f in step.fields):
                return step.id
        return FINAL_STEP

    # rendering -------------------------------------------------------------

    def error_text(self, key):
        message = self.errors.get(key)
        return translate(message, context=self.request) if message else None

    def error_list(self):
        """The error summary: each error of the page, a link to its field."""
        result = []
        if self.step == REQUESTER_STEP:
            result += field_errors(self.requester_fields())
        if self.step == MEMBER_STEP and "member" in self.errors:
            result.append(
                summary_error(
                    "field-member-0",
                    self.step_title(MEMBER_STEP),
                    self.error_text("member"),
                )
            )
        result += field_errors(self.fields())
        if self.step == FINAL_STEP:
            for doc in self.document_fields():
                if doc["error"]:
                    result.append(summary_error(doc["id"], doc["title"], doc["error"]))
            for key in ("documents", "service"):
                if key in self.errors:
                    result.append(
                        summary_error("field-documents", "", self.error_text(key))
                    )
            if "captcha_answer" in self.errors:
                result.append(
                    summary_error(
                        "field-captcha_answer",
                        _("label_captcha_answer", default="Code"),
                        self.error_text("captcha_answer"),
                    )
                )
            shown = {
                "member",
                "documents",
                "service",
                "captcha_answer",
                *(f"document-{d.getId()}" for d in self.service_documents()),
                *(f"requester.{name}" for name in requesters.FIELDS),
            }
            names = {n for n, _f in forms.answer_fields(self.context)}
            for key in self.errors:
                if key not in shown and key not in names:
                    result.append(
                        summary_error("step-title", key, self.error_text(key))
                    )
        return result

    def members(self):
        return [
            {
                "id": person.getId(),
                "name": person.Title(),
                "checked": person.getId() == self.member_id,
                "input_id": f"field-member-{index}",
            }
            for index, person in enumerate(
                submission.eligible_members(self.context, self.household)
            )
        ]

    def fields(self):
        step = self.form_steps().get(self.step)
        if step is None:
            return []
        return [self.field_info(name, field) for name, field in step.fields]

    def field_info(self, name, field):
        """The ``form_field`` of a question of the service's form."""
        return question_field(
            name,
            field,
            self.context,
            self.request,
            self.raw.get(name),
            self.error_text(name),
        )

    def hidden_fields(self):
        """The answers of the other steps, carried as hidden fields."""
        shown = {
            n
            for n, _f in (
                self.form_steps().get(self.step).fields
                if self.step in self.form_steps()
                else []
            )
        }
        result = []
        for name, value in self.raw.items():
            if name in shown:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item in (None, "", False):
                    continue
                result.append({"name": PREFIX + name, "value": str(item)})
        if self.step != MEMBER_STEP and self.member_id:
            result.append({"name": "member", "value": self.member_id})
        if self.step != REQUESTER_STEP:
            result += [
                {"name": REQUESTER_PREFIX + name, "value": value}
                for name, value in self.requester.items()
                if value
            ]
        return result

    def requester_fields(self):
        """The requester's fields, for ``form_macros.pt``'s field macro."""
        result = []
        for name in requesters.FIELDS:
            result.append(
                field_info(
                    name,
                    self.requester.get(name),
                    self.error_text(f"requester.{name}"),
                    key=REQUESTER_PREFIX + name,
                    label=requesters.LABELS[name],
                    required=name != "phone",
                    description="",
                )
            )
        return result

    def captcha(self):
        return captcha_challenge(self.context, self.error_text("captcha_answer"))

    def document_fields(self):
        result = []
        for doc in self.service_documents():
            key = f"document-{doc.getId()}"
            error = self.error_text(key)
            field_id = f"field-doc-{doc.getId()}"
            result.append(
                {
                    "name": f"doc.{doc.getId()}",
                    "id": field_id,
                    "title": doc.Title(),
                    "description": doc.Description(),
                    "required": doc.required,
                    "postable": doc.postable,
                    "error": error,
                    "described_by": " ".join(
                        x
                        for x in (f"{field_id}-help", error and f"{field_id}-error")
                        if x
                    ),
                }
            )
        return result

    def any_postable(self):
        return any(doc.postable for doc in self.service_documents())

    def summary(self):
        """Every step's answers, for the last step: each section has a
        « Modifier » button back to its step."""
        values, _errors = answer_rules.validate(self.context, self.raw, html=True)
        stored = {
            answer["name"]: answer
            for answer in answer_rules.stored(self.context, values, self.request)
        }
        form_steps = self.form_steps()
        sections = []
        for step_id in self.step_ids[:-1]:
            if step_id == REQUESTER_STEP:
                rows = [
                    {"label": field["label"], "value": display_value(field)}
                    for field in self.requester_fields()
                    if field["value"]
                ]
            elif step_id == MEMBER_STEP:
                rows = [
                    {
                        "label": _("label_request_member", default="Member concerned"),
                        "value": member["name"],
                    }
                    for member in self.members()
                    if member["checked"]
                ]
            else:
                rows = [
                    {
                        "label": stored[name]["label"],
                        "value": stored[name]["display"],
                    }
                    for name, _field in form_steps[step_id].fields
                    if name in stored and stored[name]["display"] not in ("", None)
                ]
            sections.append(
                {
                    "id": step_id,
                    "title": self.step_title(step_id, form_steps),
                    "rows": rows,
                    "empty": _("summary_no_answer", default="No answer."),
                }
            )
        return sections

    def limits(self):
        per_file, per_request = documents.limits()
        return {
            "file": per_file // documents.MEGABYTE,
            "total": per_request // documents.MEGABYTE,
        }

    def postal_address(self):
        return api.portal.get_registry_record(
            "illkirch.eservices.postal_address", default=""
        )
