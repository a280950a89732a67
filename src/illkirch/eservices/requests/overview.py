"""What « Mon espace → Accueil » shows of a household's requests: those
awaiting the citizen's documents or answers (« Incomplète », with the
town's message), those in progress, and the services the household uses
most.

Only the household's own catalog entries are read
(``processing.household_requests``, ``households.own_brains``) and its
objects taken from it (``households.own_object``), never the town's
requests; the services are the catalogue's (``submission.services``).
"""

from collections import Counter
from illkirch.eservices import history
from illkirch.eservices.accounts import households
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission


# The statuses in which a request waits for its citizen.
AWAITING_CITIZEN_STATES = ("incomplete",)
# The statuses of a request whose processing is over.
FINISHED_STATES = ("closed", "rejected")
ASKING_ACTION = "transition_ask_documents"
SHORTCUTS_COUNT = 4


def town_question(request_obj):
    """The town's last message asking for documents or answers (the
    history entry of ``ask_documents``), or None."""
    for entry in reversed(history.entries(request_obj)):
        if entry["action"] == ASKING_ACTION:
            return entry
    return None


def awaiting_citizen(household):
    """The household's requests awaiting its documents or answers, newest
    first: ``[{"request": <Request>, "review_state", "question": <history
    entry or None>}]``."""
    result = []
    for brain in processing.household_requests(household):
        if brain.review_state not in AWAITING_CITIZEN_STATES:
            continue
        request_obj = households.own_object(household, brain)
        result.append(
            {
                "request": request_obj,
                "review_state": brain.review_state,
                "question": town_question(request_obj),
            }
        )
    return result


def in_progress(household):
    """Catalog brains of the household's requests whose processing is not
    over (neither closed nor refused), newest first."""
    return [
        brain
        for brain in processing.household_requests(household)
        if brain.review_state not in FINISHED_STATES
    ]


def most_used_services(household, count=SHORTCUTS_COUNT):
    """Up to ``count`` open services: those the household filed most
    requests to first, then the catalogue's first ones; ``[(service,
    number of the household's requests)]``."""
    return [
        (brain.getObject(), filed)
        for brain, filed in most_used_service_brains(household, count)
    ]


def most_used_service_brains(household, count=SHORTCUTS_COUNT):
    """``most_used_services`` as the services' catalog brains (#22: a
    listing that shows their id, URL, title and description)."""
    filed = Counter()
    if household is not None:
        for brain in households.own_brains(household, "Request"):
            # #22: the service's UID from the catalog's metadata (a request
            # indexed before the column: from the object)
            uid = getattr(brain, "service_uid", None)
            if not isinstance(uid, str):
                uid = households.own_object(household, brain).service_uid
            filed[uid] += 1
    # published, the catalogue's order; only the services shown are woken
    brains = submission.open_service_brains()
    order = {brain.UID: index for index, brain in enumerate(brains)}
    ranked = sorted(brains, key=lambda b: (-filed[b.UID], order[b.UID]))
    return [(brain, filed[brain.UID]) for brain in ranked[:count]]
