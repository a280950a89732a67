"""The plan of a request's conversation (#17): in one household out of
``CONVERSATION_EVERY``, one request with ``MESSAGES`` messages, the citizen
and the agents in turn, some of the agents' being internal notes, and a few
read marks (the citizen, the agent who answers, another agent of the group
earlier) so that both sides have unread messages.
"""

from datetime import timedelta
from generator import words
from generator.plans import HOLDER
from generator.plans import ConversationPlan
from generator.plans import MessagePlan
from generator.plans import ReadPlan
from generator.write_requests import NEW_STATE


CONVERSATION_EVERY = 20  # households 0, 20, 40 …
MESSAGES = 50
INTERNAL_EVERY = 10  # messages 9, 19, 29 …: the agents' internal notes
# Who has read up to which message (position, 0-based) and the request
# states after which nobody writes any more.
CITIZEN_READ_UP_TO = 39
AGENT_READ_UP_TO = 44
OTHER_AGENT_READ_UP_TO = 19
FINAL_STATES = ("closed", "rejected", "sent")
MIN_DAYS = 2


def has_conversation(index):
    return index % CONVERSATION_EVERY == 0


def talked_about(ctx, plan):
    """The request the conversation is about: the latest one filed at least
    ``MIN_DAYS`` before it was closed (or before now), else the latest."""
    timed = [(request, end_of(ctx, request)) for request in plan.requests]
    long_enough = [
        (request, end)
        for request, end in timed
        if end - request.submitted >= timedelta(days=MIN_DAYS)
    ]
    return (long_enough or timed)[-1]


def end_of(ctx, request):
    if request.steps and final_state(request) in FINAL_STATES:
        return request.steps[-1][1]
    return ctx.now - timedelta(minutes=10)


def final_state(request):
    return NEW_STATE[request.steps[-1][0]] if request.steps else "submitted"


def plan_conversation(ctx, rng, plan):
    """``MESSAGES`` messages at increasing times between the request's filing
    and its end (closing, or now), the citizen first, then in turn."""
    from illkirch.eservices.conversation.store import AGENT
    from illkirch.eservices.conversation.store import CITIZEN

    request, end = talked_about(ctx, plan)
    agents = ctx.agents_of(request.service.group) or list(ctx.validators)
    agent = request.assignee or rng.choice(agents)
    others = [a for a in agents if a != agent]
    colleague = rng.choice(others) if others else agent
    span = max((end - request.submitted).total_seconds(), 60)
    times = sorted(
        request.submitted + timedelta(seconds=span * rng.uniform(0.01, 0.99))
        for _n in range(MESSAGES)
    )
    messages = []
    for position, when in enumerate(times):
        if position % 2 == 0:
            text = rng.choice(words.CITIZEN_MESSAGES)
            messages.append(MessagePlan(when, HOLDER, CITIZEN, text))
        elif position % INTERNAL_EVERY == INTERNAL_EVERY - 1:
            text = rng.choice(words.INTERNAL_NOTES)
            messages.append(MessagePlan(when, colleague, AGENT, text, internal=True))
        else:
            text = rng.choice(words.AGENT_MESSAGES)
            messages.append(MessagePlan(when, agent, AGENT, text))

    def read(position, reader, side):
        # a little after the message, before the next one
        following = times[position + 1] if position + 1 < len(times) else end
        when = times[position] + (following - times[position]) / 2
        return ReadPlan(position, when, reader, side)

    reads = [
        read(CITIZEN_READ_UP_TO, HOLDER, CITIZEN),
        read(AGENT_READ_UP_TO, agent, AGENT),
    ]
    if colleague != agent:
        reads.append(read(OTHER_AGENT_READ_UP_TO, colleague, AGENT))
    return ConversationPlan(request=request.key, messages=messages, reads=reads)
