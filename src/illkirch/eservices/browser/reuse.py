"""« Dites-le-nous une fois » (#17): the request wizard's answers prefilled
from the household and documents taken from the locker, the editors'
« Préremplissage » page of a service, and « Mes documents » in « Mon
espace ». The rules are in ``reuse/prefill.py`` and ``reuse/locker.py``."""

from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices.accounts import households
from illkirch.eservices.antivirus import served
from illkirch.eservices.browser.citizen_area import CitizenAreaTab
from illkirch.eservices.browser.form_field import choice
from illkirch.eservices.browser.form_field import field_errors
from illkirch.eservices.browser.form_field import form_field
from illkirch.eservices.browser.scanned import not_served
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import forms
from illkirch.eservices.requests import submission
from illkirch.eservices.reuse import locker
from illkirch.eservices.reuse import prefill
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


LOCKER_PREFIX = "locker."


class ReuseWizardMixin:
    """Mixed into ``browser.services.FileRequestWizard``: its hooks are
    called by the wizard (``self.household``, ``self.member_id`` and
    ``self.context``, the service, are the wizard's)."""

    def prefill(self):
        """The answers a new request starts with (name → raw value): the
        household's data the editor mapped to the questions, except the
        member concerned's (not chosen yet: ``prefill_member``)."""
        return prefill.values(self.context, getattr(self, "household", None))

    def prefill_member(self):
        """The answers given by the identity of the member just chosen (the
        member step): they replace what the previous member's gave."""
        household = getattr(self, "household", None)
        member = next(
            (
                person
                for person in submission.eligible_members(self.context, household)
                if person.getId() == self.member_id
            ),
            None,
        )
        return prefill.member_values(self.context, household, member)

    def _locker_chosen(self, document_id):
        value = self.request.form.get(LOCKER_PREFIX + document_id)
        items = value if isinstance(value, list) else [value]
        return [item for item in items if item and isinstance(item, str)]

    def locker_options(self, doc_field):
        """The valid documents of the locker offered to one supporting
        document of the last step (``doc_field``: ``document_fields()``'s)."""
        document_id = doc_field["name"].split(".", 1)[1]
        document = self.context.get(document_id)
        household = getattr(self, "household", None)
        if document is None or household is None:
            return []
        chosen = self._locker_chosen(document_id)
        result = []
        for index, entry in enumerate(locker.offered(household, document)):
            until = locker.valid_until(entry)
            result.append(
                {
                    "name": LOCKER_PREFIX + document_id,
                    "value": entry.id,
                    "input_id": f"{doc_field['id']}-locker-{index}",
                    "filename": entry.filename,
                    "given": dates.format_date(entry.given),
                    "until": dates.format_date(until),
                    "number": entry.request_number,
                    "checked": entry.id in chosen,
                }
            )
        return result

    def locker_files(self):
        """The locker's documents chosen for the request, as
        ``submission.submit`` takes them (checked there as any file). A
        choice no longer valid is left out: a required document then
        gets « Joignez ce document »."""
        household = getattr(self, "household", None)
        if household is None:
            return []
        known = {doc.getId(): doc for doc in self.service_documents()}
        choices = [
            (document_id, entry_id)
            for document_id in known
            for entry_id in self._locker_chosen(document_id)
        ]
        files, _errors = locker.files(household, choices, known)
        return files


# the editors' page ------------------------------------------------------------


class PrefillEditor(BrowserView):
    """``@@preremplissage`` on a service (its editors): which datum of the
    household prefills each question."""

    index = ViewPageTemplateFile("templates/prefill_editor.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
    PREFIX = "source."

    @property
    def page_title(self):
        return translate(
            _(
                "title_prefill_editor",
                default="Prefilling: ${service}",
                mapping={"service": self.context.Title()},
            ),
            context=self.request,
        )

    def __call__(self):
        self.errors = {}
        self.sent = {}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.sent = {
                name: self.request.form.get(self.PREFIX + name, "")
                for name, _field in prefill.prefillable_questions(self.context)
            }
            try:
                prefill.set_mapping(self.context, self.sent)
            except prefill.PrefillError as error:
                transaction.doom()
                self.errors = error.errors
            else:
                IStatusMessage(self.request).add(
                    translate(
                        _("message_prefill_saved", default="Prefilling saved."),
                        context=self.request,
                    ),
                    type="info",
                )
                self.request.response.redirect(
                    f"{self.context.absolute_url()}/@@preremplissage"
                )
                return ""
        return self.index()

    def has_errors(self):
        return bool(self.errors)

    def fields(self):
        current = self.sent or prefill.mapping(self.context)
        result = []
        for name, field in prefill.prefillable_questions(self.context):
            selected = current.get(name, "")
            error = self.errors.get(name)
            result.append(
                form_field(
                    self.PREFIX + name,
                    f"field-source-{name}",
                    forms.text(field.title, self.request),
                    error=translate(error, context=self.request) if error else None,
                    widget="select",
                    choices=[
                        choice(
                            f"field-source-{name}",
                            source.id,
                            source.id,
                            translate(source.title, context=self.request),
                            source.id == selected,
                        )
                        for source in prefill.sources_for(self.context, field)
                    ],
                )
            )
        return result

    def error_list(self):
        return field_errors(self.fields())

    def service_url(self):
        return self.context.absolute_url()


# « Mes documents » -------------------------------------------------------------


class LockerTab(CitizenAreaTab):
    """« Mes documents »: the household's locker."""

    tab_name = "mon-espace-documents"
    index = ViewPageTemplateFile("templates/locker_tab.pt")
    empty_message = _(
        "empty_locker",
        default="No document kept yet. The documents you give with a request "
        "and that the town may ask again (proof of address, identity "
        "document…) are kept here while they are valid, so that you attach "
        "them to your next requests in one click.",
    )
    no_household = submission.NO_HOUSEHOLD

    def __call__(self):
        self.household = households.current_household()
        return self.index()

    def rows(self):
        root = self.root_url()
        result = []
        for entry in locker.entries(self.household):
            info = locker.entry_info(entry)
            label = served.status_label(entry)
            info.update(
                {
                    "given_display": dates.format_date(entry.given),
                    "until_display": dates.format_date(locker.valid_until(entry)),
                    "download_url": f"{root}/@@mes-documents-fichier/{entry.id}",
                    "delete_url": f"{root}/@@mes-documents-supprimer?id={entry.id}",
                    "scan_label": translate(label, context=self.request)
                    if label
                    else "",
                }
            )
            result.append(info)
        return result


@implementer(IPublishTraverse)
class LockerDownload(BrowserView):
    """``@@mes-documents-fichier/<id>``: a document of the current user's
    locker (404 for any other; 409 while the antivirus has not found it
    clean)."""

    entry_id = None

    def publishTraverse(self, request, name):
        if self.entry_id is not None:
            raise NotFound(name)
        self.entry_id = name
        return self

    def __call__(self):
        entry = locker.get(households.current_household(), self.entry_id or "")
        if entry is None:
            raise NotFound(self.entry_id)
        refusal = locker.refusal(entry)
        if refusal is not None:
            # « en cours d'analyse » or refused by the antivirus (#21)
            return not_served(self.request, refusal)
        documents.set_download_headers(self.request.response, entry)
        return stream_data(entry.file)


class LockerDelete(LockerTab):
    """``@@mes-documents-supprimer?id=<id>``: the confirmation (GET), then
    the deletion (POST with the form's token)."""

    index = ViewPageTemplateFile("templates/locker_delete.pt")
    aria_current = "true"

    @property
    def page_title(self):
        return _("title_locker_delete", default="Delete a document — My documents")

    def __call__(self):
        self.household = households.current_household()
        entry_id = self.request.form.get("id", "")
        self.entry = locker.get(self.household, entry_id)
        tab_url = f"{self.root_url()}/@@mon-espace-documents"
        if self.entry is None:
            raise NotFound(entry_id)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            locker.delete(self.household, self.entry.id)
            IStatusMessage(self.request).add(
                translate(
                    _(
                        "message_locker_deleted",
                        default="« ${filename} » was deleted from your documents.",
                        mapping={"filename": self.entry.filename},
                    ),
                    context=self.request,
                ),
                type="info",
            )
            self.request.response.redirect(tab_url)
            return ""
        self.info = locker.entry_info(self.entry)
        self.info["given_display"] = dates.format_date(self.entry.given)
        self.tab_url = tab_url
        return self.index()
