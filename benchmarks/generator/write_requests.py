"""Writing the requests as ``requests.submission.create_request`` stores
them, moved through ``request_workflow`` as the agents did, with their
history and the official documents the queue issued for them
(``write_documents``).
"""

from generator.plans import HOLDER
from generator.write_documents import write_documents
from generator.writing import add
from generator.writing import iso
from generator.writing import new_content
from generator.writing import owner_of
from generator.writing import stamp
from persistent.list import PersistentList
from zope.annotation.interfaces import IAnnotations


NEW_STATE = {
    "ask_documents": "incomplete",
    "resubmit": "submitted",
    "mark_complete": "complete",
    "accept": "accepted",
    "reject": "rejected",
    "send": "sent",
    "close": "closed",
}


def write_request(ctx, container, request, household_plan=None):
    """A Request as ``requests.submission.create_request`` stores it, then
    moved through ``request_workflow`` as the agents did.

    ``create_request`` itself cannot be used: it needs the web request of a
    submission (easyform's actions), numbers and dates the request now,
    draws a random tracking code, records the history at the current time,
    emails the citizen and adds with every event (« container modified »
    reindexes the household each time). The rules it applies are called
    here: answers, processors' group, requester, tracking digest."""
    from illkirch.eservices.business_days import add_business_days
    from illkirch.eservices.requests import answers as answers_rules
    from illkirch.eservices.requests import processors
    from illkirch.eservices.requests import requesters
    from illkirch.eservices.requests import tracking

    service = request.service
    holder_id = household_plan.holder_id if household_plan else ""
    roles = {holder_id: ["Owner"]} if holder_id else {}
    obj = new_content("Request", request.number, request.uid, roles)
    processors.set_processors(obj, service.group)
    values, errors = answers_rules.validate(service.obj, request.answers)
    if errors:
        raise ValueError(f"generated answers refused by {service.id}: {errors}")
    obj.number = request.number
    obj.service_uid = service.uid
    obj.service_title = service.title
    obj.member_id = request.member.id if request.member else ""
    obj.member_name = request.member.title if request.member else ""
    obj.answers = answers_rules.stored(service.obj, values, ctx.request)
    obj.by_post = request.by_post
    obj.submitted = request.submitted
    obj.due_date = add_business_days(request.submitted, service.processing_days)
    obj.postal_delivery = bool(service.civil_status_act)
    household = container if household_plan is not None else None
    requesters.set_requester(obj, household, request.requester)
    if request.code:
        obj.tracking_digest = tracking.code_digest(request.number, request.code)
    if request.assignee:
        obj.assignee = request.assignee
    if request.posted_on:
        obj.posted_on = request.posted_on
    workflow = write_request_history(ctx, obj, request, holder_id)
    # modified when filed: the transitions reindex the state, not the date
    stamp(
        ctx,
        obj,
        "request_workflow",
        workflow,
        (holder_id,) if holder_id else (),
        request.submitted,
    )
    added = add(container, obj, owner_of(holder_id))
    write_documents(ctx, added, request)
    return added


def write_request_history(ctx, obj, request, holder_id):
    """The request's own history, with the entries ``history.record``
    makes (it dates them now); returns its workflow history."""
    from illkirch.eservices import history

    events = [(request.submitted, "submitted", holder_id, "", "submitted")]
    workflow = [(None, holder_id or None, "", "submitted", request.submitted)]
    for name, when, actor, comment in request.steps:
        actor = holder_id if actor == HOLDER else actor
        state = NEW_STATE[name]
        note = comment
        if name == "send" and request.posted_on:
            posted = posted_note(ctx, request.posted_on)
            note = "\n".join(text for text in (comment, posted) if text)
        events.append((when, f"transition_{name}", actor, note, state))
        workflow.append((name, actor, comment, state, when))
    if request.assignee:
        events.append(
            (
                request.assigned_at,
                "assigned",
                request.assignee,
                ctx.fullname(request.assignee),
                state_at(request, request.assigned_at),
            )
        )
    IAnnotations(obj)[history.KEY] = PersistentList(
        history.entry(action, comment, actor, state, iso(when))
        for when, action, actor, comment, state in sorted(events, key=lambda e: e[0])
    )
    return workflow


def state_at(request, when):
    state = "submitted"
    for name, step_time, _actor, _comment in request.steps:
        if step_time <= when:
            state = NEW_STATE[name]
    return state


def posted_note(ctx, posted_on):
    """The note ``processing.transition_done`` adds to the « send » entry."""
    from illkirch.eservices import mail
    from illkirch.eservices.requests.processing import POSTED_NOTE
    from zope.i18nmessageid import Message

    if posted_on not in ctx.posted_note:
        ctx.posted_note[posted_on] = mail._text(
            Message(POSTED_NOTE, mapping={"date": posted_on.strftime("%d/%m/%Y")}), None
        )
    return ctx.posted_note[posted_on]
