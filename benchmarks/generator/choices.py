"""Seeded random choices shared by the plans: ids, UIDs, weights, phone
numbers, dates in the past.
"""

from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta

import uuid


def hex_id(rng, length):
    return f"{rng.getrandbits(length * 4):0{length}x}"


def new_uid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def phone(rng, mobile=True):
    first = rng.choice(("06", "07")) if mobile else "03 88"
    digits = 4 if mobile else 3
    return " ".join([first] + [f"{rng.randrange(100):02d}" for _ in range(digits)])


def years_before(day, years, rng, spread=365):
    return day - timedelta(days=int(years * 365.25) + rng.randrange(spread))


def moment(ctx, day, rng, start=8, end=19):
    """An aware datetime of ``day`` during office hours (Paris)."""
    local = datetime.combine(
        day,
        time(rng.randrange(start, end), rng.randrange(60), rng.randrange(60)),
        tzinfo=ctx.paris,
    )
    return min(local.astimezone(UTC), ctx.now - timedelta(minutes=5))


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
