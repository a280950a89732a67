"""Answers to the services' questions, as ``POST /@requests`` sends them:
plausible for the service and the member concerned (the add-on's
``requests.answers`` checks and stores them when the request is written).
"""

from datetime import date
from datetime import timedelta
from generator import words
from generator.choices import age_on
from generator.choices import phone
from generator.choices import years_before


def answers_for(ctx, rng, service, member, submitted, plan):
    """Raw answers (as ``POST /@requests`` sends them) to the service's
    questions, plausible for its kind and the member concerned."""
    specific = ANSWERS.get(service.id)
    answers = specific(ctx, rng, service, member, submitted, plan) if specific else {}
    for name, fld, kind in service.fields:
        optional = specific is None and rng.random() < 0.4
        if name not in answers and (fld.required or optional):
            value = generic_answer(rng, service, fld, kind, submitted)
            if value is not None:
                answers[name] = value
    return answers


def choices_of(service, fld):
    from illkirch.eservices.requests import forms

    return [choice["value"] for choice in forms.choices(fld, service.obj)]


def field_named(service, name):
    for fname, fld, _kind in service.fields:
        if fname == name:
            return fld
    return None


def pick(rng, service, name, preferred=None):
    values = choices_of(service, field_named(service, name))
    if preferred in values:
        return preferred
    return rng.choice(values)


def generic_answer(rng, service, fld, kind, submitted):
    day = submitted.date()
    if kind == "choice":
        return rng.choice(choices_of(service, fld))
    if kind == "multichoice":
        values = choices_of(service, fld)
        return rng.sample(values, rng.randrange(1, len(values) + 1))
    if kind == "boolean":
        return rng.random() < 0.7
    if kind == "date":
        return (day + timedelta(days=rng.randrange(1, 30))).isoformat()
    if kind == "datetime":
        return (submitted + timedelta(days=rng.randrange(1, 30))).strftime(
            "%Y-%m-%dT%H:%M"
        )
    if kind == "integer":
        low = fld.min if fld.min is not None else 1
        high = fld.max if fld.max is not None else low + 4
        return rng.randrange(low, min(high, low + 4) + 1)
    if kind == "decimal":
        return f"{rng.uniform(1, 100):.2f}"
    if kind == "email":
        return "contact@example.org"
    if kind == "url":
        return "https://www.example.org/"
    if kind in ("text", "textarea"):
        text = rng.choice(("Sans objet", "Voir avec le service", "Merci d'avance"))
        text = text.ljust(fld.min_length or 0, ".")
        return text[: fld.max_length].strip() if fld.max_length else text
    return None


def periscolaire_answers(ctx, rng, service, member, submitted, plan):
    day = submitted.date()
    age = age_on(member.birth_date, day)
    classes = (
        "Petite section",
        "Moyenne section",
        "Grande section",
        "CP",
        "CE1",
        "CE2",
        "CM1",
        "CM2",
    )
    level = classes[min(max(age - 3, 0), len(classes) - 1)]
    schools = choices_of(service, field_named(service, "ecole"))
    kindergarten = [s for s in schools if "maternelle" in s.lower()]
    primary = [s for s in schools if s not in kindergarten]
    school = rng.choice((kindergarten if age < 6 else primary) or schools)
    start = (
        date(day.year, 9, 1)
        if day.month in (5, 6, 7, 8)
        else day + timedelta(days=rng.randrange(7, 21))
    )
    times = choices_of(service, field_named(service, "accueils"))
    answers = {
        "ecole": school,
        "classe": pick(rng, service, "classe", level),
        "accueils": rng.sample(times, rng.randrange(1, len(times) + 1)),
        "date_debut": start.isoformat(),
        "droit_image": rng.random() < 0.8,
    }
    if rng.random() < 0.15:
        answers["allergies"] = rng.choice(words.ALLERGIES)
    if rng.random() < 0.3:
        answers["personne_autorisee"] = (
            f"{rng.choice(words.AUTHORISED_PEOPLE)} : "
            f"{rng.choice(words.FEMALE_FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}, "
            f"{phone(rng)}"
        )
    return answers


def passport_answers(ctx, rng, service, member, submitted, plan):
    answers = {
        "titre": pick(rng, service, "titre"),
        "motif": pick(rng, service, "motif"),
        "jour_souhaite": (
            submitted.date() + timedelta(days=rng.randrange(3, 25))
        ).isoformat(),
        "moment": pick(rng, service, "moment"),
    }
    if rng.random() < 0.6:
        answers["predemande"] = "".join(
            rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _n in range(10)
        )
    return answers


def report_answers(ctx, rng, service, member, submitted, plan):
    nature = pick(rng, service, "nature")
    number = rng.randrange(1, 120)
    texts = words.REPORT_DESCRIPTIONS.get(nature) or words.REPORT_DESCRIPTIONS["Autre"]
    answers = {
        "nature": nature,
        "description": rng.choice(texts).format(number=number),
        "adresse": f"{number} {rng.choice(words.STREETS)}",
    }
    if rng.random() < 0.6:
        answers["constate_le"] = (
            submitted.date() - timedelta(days=rng.randrange(0, 5))
        ).isoformat()
    return answers


def civil_status_answers(ctx, rng, service, member, submitted, plan):
    """Birth, marriage or death act: its rules (requests/civil_status.py)."""
    from illkirch.eservices.requests import civil_status as rules

    day = submitted.date()
    act = service.civil_status_act
    answers = {"nombre_exemplaires": rng.choice((1, 1, 1, 2, 3))}
    documents = choices_of(service, field_named(service, rules.DOCUMENT))
    answers[rules.DOCUMENT] = rng.choice(documents)
    if field_named(service, rules.QUALITY) is not None:
        qualities = choices_of(service, field_named(service, rules.QUALITY))
        quality = rng.choice(qualities[:3]) if rng.random() < 0.9 else qualities[-1]
        answers[rules.QUALITY] = quality
        if quality not in rules.ENTITLED_QUALITIES:
            answers[rules.LEGAL_GROUND] = rng.choice(words.LEGAL_GROUNDS)
    people = [p for p in (plan.persons if plan else ()) if p.birth_date < day]
    concerned = rng.choice(people) if people else None
    last = concerned.last_name if concerned else rng.choice(words.LAST_NAMES)
    first = concerned.first_name if concerned else rng.choice(words.MALE_FIRST_NAMES)
    if act == "marriage":
        answers.update(
            {
                "nom_epoux1": last,
                "prenoms_epoux1": first,
                "nom_epoux2": rng.choice(words.LAST_NAMES),
                "prenoms_epoux2": rng.choice(words.FEMALE_FIRST_NAMES),
                rules.EVENT_DATE: years_before(
                    day, rng.randrange(1, 30), rng
                ).isoformat(),
            }
        )
    elif act == "death":
        event = day - timedelta(days=rng.randrange(5, 400))
        answers.update(
            {
                "nom": rng.choice(words.LAST_NAMES),
                "prenoms": rng.choice(words.MALE_FIRST_NAMES),
                rules.EVENT_DATE: event.isoformat(),
            }
        )
        if rng.random() < 0.5:
            answers[rules.BIRTH_DATE] = years_before(
                event, rng.randrange(60, 95), rng
            ).isoformat()
    else:
        birth = concerned.birth_date if concerned else years_before(day, 30, rng)
        answers.update(
            {"nom": last, "prenoms": first, rules.EVENT_DATE: birth.isoformat()}
        )
        if rng.random() < 0.7:
            answers["nom_pere"] = f"{last} {rng.choice(words.MALE_FIRST_NAMES)}"
            answers["nom_mere"] = (
                f"{rng.choice(words.LAST_NAMES)} {rng.choice(words.FEMALE_FIRST_NAMES)}"
            )
    answers.update(delivery_address(rng, plan, f"{first} {last}"))
    return answers


def delivery_address(rng, plan, name):
    from illkirch.eservices.requests import civil_status as rules

    if plan is not None and rng.random() < 0.85:
        return {
            rules.COUNTRY_KIND: "France",
            "destinataire": plan.holder.title,
            "adresse": plan.address["street"],
            rules.POSTAL_CODE: plan.address["postal_code"],
            "ville": plan.address["city"],
        }
    if rng.random() < 0.9:
        postal_code, town = rng.choice(words.DELIVERY_TOWNS)
        return {
            rules.COUNTRY_KIND: "France",
            "destinataire": name,
            "adresse": f"{rng.randrange(1, 90)} {rng.choice(words.STREETS)}",
            rules.POSTAL_CODE: postal_code,
            "ville": town,
        }
    town, country = rng.choice(words.ABROAD_TOWNS)
    return {
        rules.COUNTRY_KIND: rules.ABROAD,
        "destinataire": name,
        "adresse": f"{rng.randrange(1, 90)} Hauptstraße",
        "ville": town,
        rules.COUNTRY: country,
    }


ANSWERS = {
    "inscription-periscolaire": periscolaire_answers,
    "rendez-vous-passeport-cni": passport_answers,
    "signalement-voie-publique": report_answers,
    "acte-de-naissance": civil_status_answers,
    "acte-de-mariage": civil_status_answers,
    "acte-de-deces": civil_status_answers,
}
