"""The plan of one household: its address, persons (about 2.5), requests
and invoices, computed from the seed and its index alone.
"""

from datetime import timedelta
from generator import words
from generator.choices import hex_id
from generator.choices import moment
from generator.choices import new_uid
from generator.choices import phone
from generator.choices import years_before
from generator.plan_conversations import has_conversation
from generator.plan_conversations import plan_conversation
from generator.plan_invoices import plan_invoices
from generator.plan_requests import REQUEST_DAYS
from generator.plan_requests import plan_requests
from generator.plans import HouseholdPlan
from generator.plans import PersonPlan


# Household sizes: (persons, with children, weight); 2.5 persons on average.
COMPOSITIONS = (
    (1, False, 23),
    (2, False, 12),
    (2, True, 19),
    (3, True, 26),
    (4, True, 16),
    (5, True, 4),
)


def plan_household(ctx, index):
    rng = ctx.rng("household", index)
    size, children = rng.choices(
        [(s, c) for s, c, _w in COMPOSITIONS], weights=[w for *_x, w in COMPOSITIONS]
    )[0]
    persons = plan_persons(ctx, rng, size, children)
    registered = ctx.now - timedelta(
        days=rng.randrange(60, REQUEST_DAYS + 120), seconds=rng.randrange(86400)
    )
    validated = registered + timedelta(hours=rng.uniform(2, 70))
    for person in persons[1:]:
        if person.birth_date > registered.date():  # born since: added later
            person.added = moment(
                ctx, person.birth_date + timedelta(days=rng.randrange(20, 90)), rng
            )
    plan = HouseholdPlan(
        index=index,
        id=f"foyer-{hex_id(rng, 12)}",
        uid=new_uid(rng),
        registered=registered,
        validated=min(validated, ctx.now - timedelta(hours=1)),
        agent=rng.choice(ctx.validators),
        comment=rng.choice(words.VALIDATION_COMMENTS),
        address=plan_address(rng),
        persons=persons,
        billing_account=f"ILK-{ctx.seed % 100:02d}{index:06d}",
    )
    plan.requests = plan_requests(ctx, ctx.rng("requests", index), plan)
    plan.invoices, plan.payments = plan_invoices(ctx, ctx.rng("invoices", index), plan)
    if has_conversation(index):
        rng = ctx.rng("conversation", index)
        plan.conversation = plan_conversation(ctx, rng, plan)
    return plan


def plan_address(rng):
    address = {
        "street": f"{rng.randrange(1, 120)} {rng.choice(words.STREETS)}",
        "postal_code": words.POSTAL_CODE,
        "city": words.CITY,
        "contact_preference": "email",
    }
    if rng.random() < 0.25:
        address["address_complement"] = rng.choice(words.COMPLEMENTS)
    if rng.random() < 0.8:
        address["mobile"] = phone(rng)
    if rng.random() < 0.3:
        address["phone"] = phone(rng, mobile=False)
    if rng.random() < 0.15:
        address["contact_preference"] = "phone"
        address.setdefault("mobile", phone(rng))
    return address


def new_person(ctx, rng, member_type, relationship, last_name, birth, civility=None):
    civility = civility or rng.choice(("m", "mme"))
    names = words.MALE_FIRST_NAMES if civility == "m" else words.FEMALE_FIRST_NAMES
    return PersonPlan(
        id=f"membre-{hex_id(rng, 8)}",
        uid=new_uid(rng),
        member_type=member_type,
        civility=civility,
        first_name=rng.choice(names),
        last_name=last_name,
        birth_date=birth,
        birth_place=rng.choice(words.BIRTH_PLACES),
        relationship=relationship,
    )


def plan_persons(ctx, rng, size, children):
    today = ctx.today
    adults = 1 if size == 1 or (children and (size == 2 or rng.random() < 0.15)) else 2
    age = (
        rng.randrange(26, 52)
        if children
        else rng.choice((rng.randrange(20, 40), rng.randrange(40, 88)))
    )
    last_name = rng.choice(words.LAST_NAMES)
    holder = new_person(
        ctx, rng, "adult", "holder", last_name, years_before(today, age, rng)
    )
    holder.phone = phone(rng) if rng.random() < 0.5 else ""
    persons = [holder]
    if adults == 2:
        relationship = "spouse" if children or rng.random() < 0.9 else "parent"
        other_age = age + rng.randrange(-4, 6) if relationship == "spouse" else age + 26
        other_name = last_name if rng.random() < 0.7 else rng.choice(words.LAST_NAMES)
        civility = (
            ("mme" if holder.civility == "m" else "m")
            if rng.random() < 0.93
            else holder.civility
        )
        birth = years_before(today, max(other_age, 19), rng)
        persons.append(
            new_person(ctx, rng, "adult", relationship, other_name, birth, civility)
        )
    youngest_parent = min(p.birth_date for p in persons)
    for _n in range(size - adults):
        earliest = max(
            youngest_parent + timedelta(days=int(19 * 365.25)),
            today - timedelta(days=int(17.5 * 365.25)),
        )
        span = max((today - timedelta(days=30) - earliest).days, 1)
        birth = earliest + timedelta(days=rng.randrange(span))
        persons.append(new_person(ctx, rng, "child", "child", last_name, birth))
    return persons
