"""The « Décision » of a request accepted or refused (#18).

When an agent fires ``accept`` or ``reject`` (the workflow's
IAfterTransitionEvent, from any front end), ``transition_done`` queues the
task ``issue_decision`` with what the decision states as it was taken: the
outcome, the agent's name, their title and service, the date and the
agent's message. The worker fills the service's letter for that outcome
(``acceptance_letter`` / ``refusal_letter``, the default letter when empty),
renders the PDF, stores it with the request and sends the status email with
it attached (``DecisionEmails`` tells ``processing.notify_citizen`` not to
send that one itself). A decision is never regenerated: a later edit of the
letter changes only the decisions still to come.

Who signs: the agent who fired the transition (their full name, their login
without one); their title is the service's « Fonction des agents qui
décident » (``decision_function``), the default « Agent des services
municipaux » when empty; their service is the title of the agents' group
processing the service's requests.
"""

from datetime import UTC
from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices import jobs
from illkirch.eservices import town
from illkirch.eservices import transitions
from illkirch.eservices.business_days import TIMEZONE
from illkirch.eservices.content.service import PLACEHOLDER
from illkirch.eservices.official_documents import pages
from illkirch.eservices.official_documents import pdf
from illkirch.eservices.official_documents import receipts
from illkirch.eservices.official_documents import store
from illkirch.eservices.requests import documents as request_documents
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import processors
from illkirch.eservices.requests.events import ICitizenEmails
from plone import api
from zope.interface import implementer

import logging
import re


logger = logging.getLogger(__name__)

OUTCOMES = {"accept": "accepted", "reject": "rejected"}
TITLES = {
    "accept": _("decision_title_accept", default="Decision: request accepted"),
    "reject": _("decision_title_reject", default="Decision: request refused"),
}
DEFAULT_LETTERS = {
    "accept": _(
        "decision_letter_accept_default",
        default="For the attention of ${demandeur}\n\nDear Sir or Madam,\n\n"
        "Your request “${demarche}” number "
        "${numero}, filed on ${date_depot}, is accepted.\n\n${message}",
    ),
    "reject": _(
        "decision_letter_reject_default",
        default="For the attention of ${demandeur}\n\nDear Sir or Madam,\n\n"
        "Your request “${demarche}” number "
        "${numero}, filed on ${date_depot}, is refused for the following "
        "reason:\n${message}\n\nYou may ask the mayor to reconsider this "
        "decision, or appeal against it before the administrative court of "
        "Strasbourg, within two months of receiving it.",
    ),
}
DEFAULT_FUNCTION = _(
    "decision_default_function", default="Agent of the town's services"
)
DECIDED = _("decision_decided", default="Decided on ${date}")
SIGNED = _("decision_signed_by", default="Decision taken by")
FACTS = {
    "number": _("decision_number", default="Request number"),
    "service": _("decision_service", default="Service"),
    "date": _("decision_date", default="Date of the decision"),
}


def letter_template(service, transition_id):
    """The service's letter for ``transition_id``, its default when empty."""
    field = "acceptance_letter" if transition_id == "accept" else "refusal_letter"
    text = (getattr(service, field, None) or "").strip() if service else ""
    return text or pages.text(DEFAULT_LETTERS[transition_id])


def fill(template, values):
    """``template`` with its ``${name}`` replaced by ``values[name]`` (an
    unknown one is left as written: the edit form refuses them)."""
    return PLACEHOLDER.sub(
        lambda match: str(values.get(match.group(1), match.group(0))), template
    )


def paragraphs(text):
    """The letter's paragraphs (an empty line separates two; the empty
    ones, an empty ``${message}``, dropped)."""
    return [
        paragraph.strip("\n")
        for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
        if paragraph.strip()
    ]


def group_title(group_id):
    group = api.group.get(groupname=group_id) if group_id else None
    if group is None:
        return group_id or ""
    return group.getProperty("title") or group_id


def agent_name(user_id):
    user = api.user.get(userid=user_id) if user_id else None
    if user is None:
        return user_id or ""
    return user.getProperty("fullname") or user.getUserName() or user_id


def decision_facts(request_obj, transition_id, comment, user_id):
    """What the decision states, as it is taken (the task's arguments)."""
    service = request_documents.service_of(request_obj)
    function = (getattr(service, "decision_function", None) or "").strip()
    return {
        "transition": transition_id,
        "decided": datetime.now(UTC).isoformat(timespec="seconds"),
        "message": comment or "",
        "agent": agent_name(user_id),
        "fonction": function or pages.text(DEFAULT_FUNCTION),
        "service": group_title(processors.processor_group(service))
        if service is not None
        else "",
    }


def placeholders(request_obj, facts):
    decided = datetime.fromisoformat(facts["decided"]).astimezone(TIMEZONE)
    return {
        "demandeur": request_obj.requester_name or "",
        "numero": request_obj.number,
        "demarche": request_obj.service_title,
        "date_depot": receipts.filed_at(request_obj)[0],
        "date_decision": dates.format_date(decided),
        "message": facts["message"],
        "agent": facts["agent"],
        "fonction": facts["fonction"],
        "service": facts["service"],
    }


def sections(request_obj, facts):
    """The letter: the facts, the service's letter filled, the signature."""
    t = pages.text
    values = placeholders(request_obj, facts)
    service = request_documents.service_of(request_obj)
    letter = fill(letter_template(service, facts["transition"]), values)
    result = [
        (
            "dl",
            [
                (t(FACTS["number"]), values["numero"]),
                (t(FACTS["service"]), values["demarche"]),
                (t(FACTS["date"]), values["date_decision"]),
            ],
        )
    ]
    result.extend(("p", paragraph) for paragraph in paragraphs(letter))
    signature = "\n".join(
        line for line in (facts["agent"], facts["fonction"], facts["service"]) if line
    )
    result.append(("p", t(DECIDED, {"date": values["date_decision"]})))
    result.append(("p", f"{t(SIGNED)}\n{signature}"))
    return result


def heading(request_obj, facts):
    decided = datetime.fromisoformat(facts["decided"]).astimezone(TIMEZONE)
    return {
        "kind": store.DECISION,
        "title": pages.text(TITLES[facts["transition"]]),
        "number": request_obj.number,
        "date": dates.format_date(decided),
        "town": town.name(),
    }


def render(request_obj, facts, code):
    title = pages.text(TITLES[facts["transition"]])
    return pdf.render(
        pages._page(
            title,
            sections(request_obj, facts),
            code,
            number=request_obj.number,
            date=heading(request_obj, facts)["date"],
        )
    )


@pdf.issuing_task(retries=5, retry_delay=60)
def issue_decision(uid, path, facts):
    """Issue the decision of the request ``uid`` (at ``path``) as ``facts``
    state it and send the status email with it. Idempotent: a request is
    accepted or refused once (the workflow), so it has one decision; a
    retried or repeated job finds it and does nothing."""
    request_obj = receipts.find_request(uid, path)
    if request_obj is None:
        logger.warning("Request %s gone: no decision", path)
        return None
    if store.of_kind(request_obj, store.DECISION):
        return None
    code = store.new_code()
    data = render(request_obj, facts, code)
    document = store.add(
        request_obj,
        store.IssuedDocument(
            store.DECISION,
            f"decision-{request_obj.number}.pdf",
            data,
            heading(request_obj, facts),
            code,
        ),
        code,
    )
    processing.send_to_citizen(
        request_obj,
        "status",
        facts["message"],
        attachments=[(document.filename, "application/pdf", data)],
    )
    return document


def transition_done(request_obj, event):
    """IAfterTransitionEvent of a request: queue the decision of accept and
    reject (never rendered in the agent's web request)."""
    transition = event.transition
    if transition is None or transition.id not in OUTCOMES:
        return
    user_id = api.user.get_current().getId() or ""
    facts = decision_facts(
        request_obj, transition.id, transitions.comment_of(event), user_id
    )
    portal_path = api.portal.get().getPhysicalPath()
    jobs.enqueue(
        issue_decision,
        api.content.get_uuid(request_obj),
        "/".join(request_obj.getPhysicalPath()[len(portal_path) :]),
        facts,
    )


@implementer(ICitizenEmails)
class DecisionEmails:
    """The status email of accept and reject leaves with the decision."""

    def sends(self, request_obj, kind, transition_id=None):
        return kind == "status" and transition_id in OUTCOMES
