"""Filing a request to a service.

``submit`` holds every rule of a submission, for the wizard's last step and
for ``POST /@requests``: who may file, the member concerned, the answers
(``answers.validate``), the supporting documents (``documents``), then the
service's easyform actions. The action "Créer une demande"
(``requests/actions.py``) creates the Request with its number; other
easyform actions an editor adds (a mailer…) run too. Nothing is stored when
a rule is broken: the caller gets every error at once.
"""

from AccessControl import getSecurityManager
from datetime import UTC
from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices import business_days
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.catalog_stamp import catalog as site_catalog
from illkirch.eservices.catalog_stamp import committed_stamp
from illkirch.eservices.content.service import IService
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.requests import answers as answers_rules
from illkirch.eservices.requests import civil_status
from illkirch.eservices.requests import documents
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import processors
from illkirch.eservices.requests import requesters
from illkirch.eservices.requests import tracking
from illkirch.eservices.requests.events import RequestSubmitted
from illkirch.eservices.requests.numbering import next_number
from illkirch.eservices.site_folders import ensure_requests_folder
from plone import api
from plone.dexterity.utils import createContentInContainer
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.globalrequest import getRequest

import time
import transaction


SUBMISSION_KEY = "illkirch.eservices.submission"
FILING_STATES = ("pending", "validated")

NOT_OPEN = _(
    "error_service_not_open",
    default="This service does not accept online requests at the moment.",
)
LOGIN_REQUIRED = _(
    "error_service_login",
    default="Log in to your citizen account to file this request.",
)
NO_HOUSEHOLD = _(
    "error_service_no_household",
    default="Your account is not linked to a household: the town's "
    "services cannot file requests on your behalf here.",
)
HOUSEHOLD_CLOSED = _(
    "error_service_household_state",
    default="Your account does not allow filing requests: contact the town hall.",
)
MEMBER_REQUIRED = _(
    "error_member_required",
    default="Choose the member of your household this request concerns.",
)
MEMBER_UNKNOWN = _(
    "error_member_unknown",
    default="This person is not a member of your household that "
    "this service may concern.",
)
DOCUMENT_MISSING = _("error_document_missing", default="Attach this document.")
DOCUMENT_MISSING_POSTABLE = _(
    "error_document_missing_postable",
    default="Attach this document, or choose to send the documents by post.",
)


class SubmissionError(FieldErrors):
    """The submission is refused; the keys of ``errors``: a question's name,
    ``member``, ``document-<id>``, ``documents`` or ``service``."""


class Submission:
    """What the easyform action needs to create the request."""

    def __init__(
        self, service, household, member, values, files, by_post, requester=None
    ):
        self.service = service
        self.household = household
        self.member = member
        self.values = values
        self.files = files
        self.by_post = by_post
        self.requester = requester  # {"name", "email", "phone"} without household
        self.request = None  # the Request, once created
        self.tracking_code = None  # account-less services only


def services():
    """The published services the current user may see, by title."""
    return [brain.getObject() for brain in open_service_brains()]


# #22: the open services' catalog record ids, shared by the threads, by
# what the query's answer depends on: the catalog and its committed stamp
# (a service published, edited, moved… is reindexed), the user's
# ``allowedRolesAndUsers`` tokens, whether they see inactive content, and
# the minute (``effectiveRange``'s resolution). The query intersected the
# whole town's entries (the tokens' union, the effective dates) on each
# citizen page and ``GET /@services``.
_OPEN_SERVICES = {}
_OPEN_SERVICES_KEPT = 500


def open_service_brains():
    """The catalog brains of ``services()``, in its order: a page that
    shows a few of them wakes only those (#22)."""
    catalog = site_catalog()
    stamp = committed_stamp()
    key = None
    if stamp is not None:
        user = getSecurityManager().getUser()
        key = (
            catalog.getPhysicalPath(),
            stamp,
            tuple(catalog._listAllowedRolesAndUsers(user)),
            bool(catalog.allow_inactive({})),
            int(time.time() // 60),
        )
        rids = _OPEN_SERVICES.get(key)
        if rids is not None:
            records = catalog._catalog
            return [records[rid] for rid in rids]
    brains = catalog(object_provides=IService.__identifier__, sort_on="sortable_title")
    # a published service is open: its catalog entry says so without
    # asking the workflow tool (#22); any other is asked, as before
    found = [
        brain
        for brain in brains
        if brain.review_state == "published" or is_open(brain.getObject())
    ]
    if key is not None and all(b.review_state == "published" for b in found):
        if len(_OPEN_SERVICES) >= _OPEN_SERVICES_KEPT:
            _OPEN_SERVICES.clear()
        _OPEN_SERVICES[key] = [brain.getRID() for brain in found]
    return found


def find_service(key):
    """A service the current user may see, by UID or id; None otherwise."""
    if not key or not isinstance(key, str):
        return None
    catalog = api.portal.get_tool("portal_catalog")
    for index in ("UID", "id"):
        for brain in catalog(object_provides=IService.__identifier__, **{index: key}):
            return brain.getObject()
    return None


def check_can_file(service, household):
    """Raise SubmissionError when the current user may not file to ``service``."""
    if not is_open(service):
        raise SubmissionError({"service": NOT_OPEN})
    if not service.account_required:
        return  # anyone (civil-status acts), with a captcha when anonymous
    if api.user.is_anonymous():
        raise SubmissionError({"service": LOGIN_REQUIRED})
    if household is None:
        raise SubmissionError({"service": NO_HOUSEHOLD})
    if households.state(household) not in FILING_STATES:
        raise SubmissionError({"service": HOUSEHOLD_CLOSED})


def is_open(service):
    return api.content.get_state(service, default=None) in (None, "published")


def eligible_members(service, household, persons=None):
    """The persons of the household the service may concern (``persons``:
    the household's, when the caller has read them already)."""
    if household is None or service.concerns == "none":
        return []
    return [
        person
        for person in (household.persons() if persons is None else persons)
        if service.concerns == "any" or person.member_type == service.concerns
    ]


def check_member(service, household, member_id):
    """The Person concerned (None for services concerning nobody)."""
    if service.concerns == "none":
        return None
    if not member_id:
        raise SubmissionError({"member": MEMBER_REQUIRED})
    for person in eligible_members(service, household):
        if person.getId() == member_id:
            return person
    raise SubmissionError({"member": MEMBER_UNKNOWN})


def check_documents(service, files, by_post):
    """Check the uploads against the service's documents; return the
    checked files or raise SubmissionError."""
    known = {doc.getId(): doc for doc in service.documents()}
    errors = {}
    for upload in files:
        if upload.get("document") not in known:
            errors[
                f"document-{upload.get('document')}"
                if upload.get("document")
                else "documents"
            ] = documents.UNKNOWN_DOCUMENT
    checked, check_errors = documents.check_files(
        [f for f in files if f.get("document") in known]
    )
    errors.update(check_errors)
    given = {upload["document"] for upload in checked}
    for doc_id, doc in known.items():
        key = f"document-{doc_id}"
        if not doc.required or doc_id in given or key in errors:
            continue
        if by_post and doc.postable:
            continue
        errors[key] = DOCUMENT_MISSING_POSTABLE if doc.postable else DOCUMENT_MISSING
    if errors:
        raise SubmissionError(errors)
    return checked


def needs_requester(service, household):
    """An account-less service filed by someone without household asks who
    they are (and a captcha when they are anonymous)."""
    return not service.account_required and household is None


def submit(
    service,
    raw_answers,
    member_id=None,
    files=(),
    by_post=False,
    html=False,
    requester=None,
    captcha=None,
):
    """File a request as the current user; return the Request.

    ``raw_answers``: question name → raw value (strings when ``html``);
    ``files``: ``[{"document": id, "filename": str, "data": bytes}]``;
    ``requester`` (``{"first_name", "last_name", "email", "phone"}``) and
    ``captcha`` (``{"token", "answer"}``) for account-less services filed
    without household. Raise SubmissionError with every error found.
    """
    household = households.current_household()
    check_can_file(service, household)
    errors = {}
    member = None
    if household is not None or service.account_required:
        try:
            member = check_member(service, household, member_id)
        except SubmissionError as error:
            errors.update(error.errors)
    identity = None
    if needs_requester(service, household):
        identity, requester_errors = requesters.check(requester or {})
        errors.update(requester_errors)
    values, answer_errors = answers_rules.validate(
        service, raw_answers or {}, html=html
    )
    errors.update(answer_errors)
    errors.update(
        {
            key: message
            for key, message in civil_status.check(
                service, values, processing.today()
            ).items()
            if key not in errors
        }
    )
    checked = []
    try:
        checked = check_documents(service, list(files), bool(by_post))
    except SubmissionError as error:
        errors.update(error.errors)
    if needs_requester(service, household) and api.user.is_anonymous():
        if not requesters.captcha_is_right(captcha):
            errors["captcha_answer"] = requesters.CAPTCHA_ERROR
    if errors:
        raise SubmissionError(errors)
    if needs_requester(service, household) and api.user.is_anonymous():
        requesters.use_captcha(captcha)
    submission = Submission(
        service, household, member, values, checked, bool(by_post), identity
    )
    return run_actions(submission)


def run_actions(submission):
    """Run the service's easyform actions, as easyform's own form does."""
    from collective.easyform.api import get_actions
    from collective.easyform.api import get_expression
    from collective.easyform.interfaces import IActionExtender
    from zope.schema import getFieldsInOrder

    service = submission.service
    request = getRequest()
    annotations = IAnnotations(request)
    annotations[SUBMISSION_KEY] = submission
    savepoint = transaction.savepoint()
    try:
        for _name, action in getFieldsInOrder(get_actions(service)):
            if not action.required or not hasattr(action, "onSuccess"):
                continue
            condition = IActionExtender(action).execCondition
            if condition and not get_expression(service, condition):
                continue
            result = action.onSuccess(dict(submission.values), request)
            if isinstance(result, dict) and result:
                raise SubmissionError(result)
        if submission.request is None:
            raise SubmissionError({"service": NOT_OPEN})
    except Exception:
        savepoint.rollback()
        raise
    finally:
        annotations.pop(SUBMISSION_KEY, None)
    return submission.request


def current_submission(request):
    return IAnnotations(request).get(SUBMISSION_KEY)


LAST_CODE_KEY = "illkirch.eservices.tracking_code"


def last_tracking_code(request):
    """The tracking code given by the last submission of this web request
    (shown once on the confirmation page; only its digest is stored)."""
    return IAnnotations(request).get(LAST_CODE_KEY)


def create_request(submission):
    """Store the Request of a checked submission (the easyform action)."""
    service = submission.service
    container = submission.household
    if container is None:
        if service.account_required:
            raise SubmissionError({"service": NO_HOUSEHOLD})
        container = ensure_requests_folder(api.portal.get())
    number = next_number()
    member = submission.member
    request_obj = createContentInContainer(
        container, "Request", checkConstraints=False, id=number
    )
    request_obj.number = number
    request_obj.service_uid = api.content.get_uuid(service)
    request_obj.service_title = service.Title()
    request_obj.member_id = member.getId() if member is not None else ""
    request_obj.member_name = member.Title() if member is not None else ""
    request_obj.answers = answers_rules.stored(service, submission.values, getRequest())
    request_obj.by_post = submission.by_post
    request_obj.submitted = datetime.now(UTC)
    request_obj.due_date = business_days.add_business_days(
        request_obj.submitted, service.processing_days or 0
    )
    user_id = api.user.get_current().getId() or ""
    for upload in submission.files:
        documents.store(request_obj, upload, user_id)
    request_obj.postal_delivery = bool(service.civil_status_act)
    requesters.set_requester(request_obj, submission.household, submission.requester)
    if not service.account_required:
        submission.tracking_code = tracking.give_code(request_obj)
    if submission.household is None:
        # Nobody but the agents may see it (no Owner: anonymous or staff).
        request_obj.manage_delLocalRoles(list(dict(request_obj.get_local_roles())))
        request_obj.creators = ()
    # the service's agents' group processes it (requests/processors.py keeps
    # this in step when the service's group changes)
    processors.set_processors(request_obj, processors.processor_group(service))
    request_obj.reindexObject()
    request_obj.reindexObjectSecurity()
    history.record(request_obj, "submitted", actor=user_id)
    processing.notify_citizen(request_obj, "submitted", code=submission.tracking_code)
    if submission.tracking_code:
        IAnnotations(getRequest())[LAST_CODE_KEY] = submission.tracking_code
    submission.request = request_obj
    notify(RequestSubmitted(request_obj, submission))
    return request_obj
