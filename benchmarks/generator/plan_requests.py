"""The plans of the requests: 6 per household over the last 5 years, to
the site's services, with their answers, states, transitions, times and
actors; and the account-less civil-status requests.
"""

from datetime import timedelta
from generator import words
from generator.answers import answers_for
from generator.answers import civil_status_answers
from generator.choices import age_on
from generator.choices import new_uid
from generator.choices import phone
from generator.choices import weighted
from generator.plans import HOLDER
from generator.plans import RequestPlan


REQUESTS_PER_HOUSEHOLD = 6
REQUEST_DAYS = 5 * 365
# Services a request goes to, by kind of household (service id → weight).
FAMILY_SERVICES = {
    "inscription-periscolaire": 30,
    "rendez-vous-passeport-cni": 25,
    "signalement-voie-publique": 25,
    "acte-de-naissance": 12,
    "acte-de-mariage": 4,
    "acte-de-deces": 4,
}
OTHER_SERVICES = {
    "rendez-vous-passeport-cni": 35,
    "signalement-voie-publique": 40,
    "acte-de-naissance": 10,
    "acte-de-mariage": 7,
    "acte-de-deces": 8,
}
# The transitions leading to each final state (request_workflow).
PATHS = {
    "submitted": (),
    "incomplete": ("ask_documents",),
    "complete": ("mark_complete",),
    "accepted": ("mark_complete", "accept"),
    "rejected": ("mark_complete", "reject"),
    "closed": ("mark_complete", "accept", "close"),
    "sent": ("mark_complete", "accept", "send"),
}
# Final states by the age of the request (days): (max age, {state: weight}).
STATES_BY_AGE = (
    (
        7,
        {
            "submitted": 60,
            "incomplete": 10,
            "complete": 20,
            "accepted": 5,
            "rejected": 5,
        },
    ),
    (
        45,
        {
            "submitted": 15,
            "incomplete": 12,
            "complete": 18,
            "accepted": 15,
            "rejected": 5,
            "closed": 35,
        },
    ),
    (None, {"closed": 90, "rejected": 6, "accepted": 3, "incomplete": 1}),
)


def service_weights(ctx, plan):
    kids = any(p.member_type == "child" for p in plan.persons)
    wanted = FAMILY_SERVICES if kids else OTHER_SERVICES
    weights = {sid: w for sid, w in wanted.items() if sid in ctx.services}
    for sid in ctx.services:  # services the demo does not know: a little
        weights.setdefault(sid, 5)
    return weights


def request_dates(ctx, rng, start, count):
    """``count`` moments after ``start``, more of them recently (the portal's
    use grew over the years)."""
    span = (ctx.now - start).total_seconds()
    return sorted(
        start + timedelta(seconds=span * rng.random() ** 0.6) for _n in range(count)
    )


def plan_requests(ctx, rng, plan):
    weights = service_weights(ctx, plan)
    start = max(plan.validated, ctx.now - timedelta(days=REQUEST_DAYS))
    result = []
    for position, submitted in enumerate(
        request_dates(ctx, rng, start, REQUESTS_PER_HOUSEHOLD)
    ):
        service, member = pick_service(ctx, rng, weights, plan, submitted)
        request = RequestPlan(
            key=(plan.index, position),
            service=service,
            submitted=submitted,
            member=member,
            uid=new_uid(rng),
            answers=answers_for(ctx, rng, service, member, submitted, plan),
        )
        request.by_post = service.documents_required
        if service.civil_status_act:
            request.code = tracking_code(rng)
        plan_processing(ctx, rng, request, HOLDER)
        result.append(request)
    return result


def pick_service(ctx, rng, weights, plan, submitted):
    """A service and the member concerned (who existed then)."""
    for _attempt in range(20):
        service = ctx.services[weighted(rng, weights)]
        members = eligible(service, plan, submitted)
        if service.concerns == "none":
            return service, None
        if members:
            return service, rng.choice(members)
    service = next(s for s in ctx.services.values() if s.concerns == "none")
    return service, None


def eligible(service, plan, submitted):
    day = submitted.date()
    persons = [
        p
        for p in plan.persons
        if p.birth_date < day and (p.added is None or p.added <= submitted)
    ]
    if service.concerns == "child":
        if service.id == "inscription-periscolaire":
            return [
                p
                for p in persons
                if p.member_type == "child" and 3 <= age_on(p.birth_date, day) <= 11
            ]
        return [p for p in persons if p.member_type == "child"]
    if service.concerns == "adult":
        return [p for p in persons if p.member_type == "adult"]
    return persons


def tracking_code(rng):
    from illkirch.eservices.requests.tracking import ALPHABET
    from illkirch.eservices.requests.tracking import CODE_LENGTH

    return "".join(rng.choice(ALPHABET) for _n in range(CODE_LENGTH))


def final_state(rng, age_days, civil):
    for max_age, weights in STATES_BY_AGE:
        if max_age is None or age_days < max_age:
            state = weighted(rng, weights)
            break
    if civil and state in ("accepted", "closed") and rng.random() < 0.85:
        state = "sent" if state == "accepted" or rng.random() < 0.1 else state
    return state


def transitions_to(rng, state, civil):
    path = list(PATHS[state])
    if civil and state == "closed":
        path = ["mark_complete", "accept", "send", "close"]
    if state != "incomplete" and rng.random() < 0.12:
        path[:0] = ["ask_documents", "resubmit"]  # documents asked, then given
    return path


def plan_processing(ctx, rng, request, holder_id):
    """The transitions of the request up to its state, their times, actors
    and messages; its assignment."""
    service = request.service
    age_days = (ctx.now - request.submitted).days
    civil = bool(service.civil_status_act)
    path = transitions_to(rng, final_state(rng, age_days, civil), civil)
    agents = ctx.agents_of(service.group) or [ctx.importer_id]
    agent = rng.choice(agents)
    delays = [rng.uniform(0.1, 4.0) * (3 if name == "resubmit" else 1) for name in path]
    room = (ctx.now - request.submitted).total_seconds() / 86400 * 0.9
    if sum(delays) > room:
        delays = [d * room / sum(delays) for d in delays]
    when = request.submitted
    for name, delay in zip(path, delays, strict=True):
        when = when + timedelta(days=delay)
        request.steps.append(
            (
                name,
                when,
                holder_id if name == "resubmit" else agent,
                transition_comment(rng, name),
            )
        )
    if (path and rng.random() < 0.8) or (not path and rng.random() < 0.2):
        request.assignee = agent
        first = request.steps[0][1] if path else ctx.now
        request.assigned_at = request.submitted + (first - request.submitted) / 2
    if "send" in path:
        sent = next(step[1] for step in request.steps if step[0] == "send")
        request.posted_on = sent.astimezone(ctx.paris).date()


def transition_comment(rng, name):
    if name == "ask_documents":
        return rng.choice(words.ASK_MESSAGES)
    if name == "reject":
        return rng.choice(words.REJECT_MESSAGES)
    if name == "accept" and rng.random() < 0.2:
        return "Votre demande est acceptée."
    return ""


def anonymous_count(households):
    return max(5, households // 100)


def anonymous_of(households, index):
    """The account-less requests written with household ``index``."""
    count = anonymous_count(households)
    return [j for j in range(count) if j * households // count == index]


def plan_anonymous(ctx, number):
    """An account-less civil-status request, with its requester."""
    from illkirch.eservices.folding import fold

    rng = ctx.rng("anonymous", number)
    civil = [s for s in ctx.services.values() if not s.account_required]
    service = rng.choice(civil)
    submitted = request_dates(ctx, rng, ctx.now - timedelta(days=REQUEST_DAYS), 1)[0]
    if rng.random() < 0.5:  # recent: still followed with the code
        submitted = ctx.now - timedelta(days=rng.uniform(1, 40))
    first = rng.choice(words.FEMALE_FIRST_NAMES + words.MALE_FIRST_NAMES)
    last = rng.choice(words.LAST_NAMES)
    email = f"{fold(first)}.{fold(last)}.{number}@{rng.choice(words.EMAIL_DOMAINS)}"
    email = email.replace(" ", "-").replace("'", "")
    request = RequestPlan(
        key=(-1, number),
        service=service,
        submitted=submitted,
        uid=new_uid(rng),
        answers=civil_status_answers(ctx, rng, service, None, submitted, None),
        code=tracking_code(rng),
        requester={
            "name": f"{first} {last}",
            "email": email,
            "phone": phone(rng) if rng.random() < 0.6 else "",
        },
    )
    plan_processing(ctx, rng, request, "")
    return request
