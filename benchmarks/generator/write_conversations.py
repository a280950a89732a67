"""Writing a request's conversation with the add-on's own store
(``conversation.store``: ``append`` and ``mark_read``), each message and
read mark at its planned time in the past."""

from contextlib import contextmanager
from generator.plans import HOLDER
from generator.writing import iso


def write_conversation(ctx, request_obj, plan, holder_id):
    """The messages of ``plan`` (a ConversationPlan) and its read marks, on
    ``request_obj`` (already added: ``store`` reindexes it, which the
    catalog does once, at the batch's commit). Returns the messages'
    count."""
    from illkirch.eservices.conversation import store

    def user(author):
        return holder_id if author == HOLDER else author

    reads = sorted(plan.reads, key=lambda r: r.after)
    for position, message in enumerate(plan.messages):
        store.append(
            request_obj,
            store.Message(
                user(message.author),
                message.side,
                message.text,
                internal=message.internal,
                time=iso(message.time),
            ),
        )
        while reads and reads[0].after == position:
            mark = reads.pop(0)
            with store_clock(store, iso(mark.time)):
                store.mark_read(request_obj, user(mark.reader), mark.side)
    return len(plan.messages)


@contextmanager
def store_clock(store, moment):
    """``store.now()`` answers ``moment`` (its read marks are dated then)."""
    original = store.now
    store.now = lambda: moment
    try:
        yield
    finally:
        store.now = original
