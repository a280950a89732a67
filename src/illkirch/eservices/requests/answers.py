"""Answers to a service's questions: conversion and validation.

The wizard's pages (strings from an HTML form) and ``POST /@requests``
(JSON values) both call ``validate``, so that the same answer is refused by
both with the same French message. The answers are stored as structured
data: ``[{"name", "label", "value", "display"}]`` in the form's order, where
``value`` is JSON-compatible and ``display`` the text shown to people.
"""

from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices.content.validators import EMAIL_RE
from illkirch.eservices.requests import forms
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.schema import ValidationError
from zope.schema import interfaces as si


REQUIRED = _("error_answer_required", default="This answer is required.")
INVALID = _("error_answer_invalid", default="This answer is not valid.")
NOT_A_CHOICE = _("error_answer_choice", default="Choose one of the proposed answers.")
NOT_A_NUMBER = _("error_answer_number", default="Enter a whole number.")
NOT_A_DECIMAL = _("error_answer_decimal", default="Enter a number, such as 12,5.")
NOT_A_DATE = _("error_answer_date", default="Enter a date as DD/MM/YYYY.")
NOT_AN_EMAIL = _(
    "error_answer_email", default="Enter an email address such as nom@exemple.fr."
)
UNKNOWN = _("error_answer_unknown", default="The service has no question “${name}”.")
YES = _("answer_yes", default="Yes")
NO = _("answer_no", default="No")


class AnswerError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def validate(service, raw, names=None, html=False):
    """Convert and check the answers ``raw`` (a mapping name → raw value).

    ``names`` limits the check to some questions (a step of the wizard);
    by default every question is checked and an answer to a question the
    service does not have is an error. Return ``(values, errors)``:
    name → converted value, name → i18n message.
    """
    fields = forms.answer_fields(service)
    known = dict(fields)
    errors = {}
    if names is None:
        for name in raw:
            if name not in known:
                errors[name] = Message(UNKNOWN, mapping={"name": str(name)[:60]})
        names = [name for name, _field in fields]
    values = {}
    for name in names:
        field = known.get(name)
        if field is None:
            continue
        try:
            value = convert(field, raw.get(name), service, html)
            check(field, value)
        except AnswerError as error:
            errors[name] = error.message
            continue
        if value is not None:
            values[name] = value
    return values, errors


def _empty(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def convert(field, raw, service, html=False):
    """The schema value of ``raw`` for ``field``; None when not answered."""
    kind = forms.kind(field)
    if kind == "boolean":
        if html:
            return raw not in (None, "", "0", "false", "off")
        if raw is None:
            return None if not field.required else False
        if isinstance(raw, bool):
            return raw
        raise AnswerError(INVALID)
    if _empty(raw):
        return None
    if kind == "choice":
        return _choice(field, raw, service)
    if kind == "multichoice":
        items = raw if isinstance(raw, (list, tuple)) else [raw]
        values = [_choice(field, item, service) for item in items if not _empty(item)]
        factory = (
            set
            if si.ISet.providedBy(field) or si.IFrozenSet.providedBy(field)
            else list
        )
        return factory(values) if values else None
    if isinstance(raw, (list, dict)):
        raise AnswerError(INVALID)
    if kind == "integer":
        if isinstance(raw, bool):
            raise AnswerError(NOT_A_NUMBER)
        try:
            return int(str(raw).strip())
        except ValueError:
            raise AnswerError(NOT_A_NUMBER) from None
    if kind == "decimal":
        try:
            number = Decimal(str(raw).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise AnswerError(NOT_A_DECIMAL) from None
        if not number.is_finite():
            raise AnswerError(NOT_A_DECIMAL)
        return number if si.IDecimal.providedBy(field) else float(number)
    if kind in ("date", "datetime"):
        return _date(kind, raw)
    if kind in ("text", "textarea", "email", "url"):
        value = str(raw).strip()
        if kind == "text" and ("\n" in value or "\r" in value):
            raise AnswerError(INVALID)
        if kind == "email" and not EMAIL_RE.match(value):
            raise AnswerError(NOT_AN_EMAIL)
        if si.IASCIILine.providedBy(field) or si.IURI.providedBy(field):
            if not value.isascii():
                raise AnswerError(INVALID)
        return value
    raise AnswerError(INVALID)


def _choice(field, raw, service):
    vocab = forms.vocabulary(field, service)
    if vocab is None:
        raise AnswerError(NOT_A_CHOICE)
    for term in vocab:
        if term.value == raw or term.token == raw:
            return term.value
    raise AnswerError(NOT_A_CHOICE)


def _date(kind, raw):
    parse = dates.parse_date if kind == "date" else dates.parse_datetime
    try:
        return parse(raw)
    except ValueError:
        raise AnswerError(NOT_A_DATE) from None


def check(field, value):
    """The field's own rules (required, lengths, bounds, constraints)."""
    if value is None:
        if field.required:
            raise AnswerError(REQUIRED)
        return
    try:
        field.validate(value)
    except si.RequiredMissing:
        raise AnswerError(REQUIRED) from None
    except si.TooLong:
        raise AnswerError(
            _(
                "error_answer_too_long",
                default="At most ${max} characters.",
                mapping={"max": field.max_length},
            )
        ) from None
    except si.TooShort:
        raise AnswerError(
            _(
                "error_answer_too_short",
                default="At least ${min} characters.",
                mapping={"min": field.min_length},
            )
        ) from None
    except si.TooBig:
        raise AnswerError(
            _(
                "error_answer_too_big",
                default="At most ${max}.",
                mapping={"max": _display_value(field.max)},
            )
        ) from None
    except si.TooSmall:
        raise AnswerError(
            _(
                "error_answer_too_small",
                default="At least ${min}.",
                mapping={"min": _display_value(field.min)},
            )
        ) from None
    except ValidationError:
        raise AnswerError(INVALID) from None


def _display_value(value):
    if isinstance(value, datetime):
        return dates.format_datetime(value)
    if isinstance(value, date):
        return dates.format_date(value)
    return str(value)


def stored(service, values, request):
    """``values`` as the structured answers a Request keeps."""
    result = []
    for name, field in forms.answer_fields(service):
        if name not in values:
            continue
        value = values[name]
        result.append(
            {
                "name": name,
                "label": forms.text(field.title, request),
                "value": _json(value),
                "display": display(field, value, service, request),
            }
        )
    return result


def _json(value):
    if isinstance(value, (set, frozenset)):
        return sorted(_json(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def display(field, value, service, request):
    """The answer as people read it (French)."""
    kind = forms.kind(field)
    if kind == "boolean":
        return translate(YES if value else NO, context=request)
    if kind in ("choice", "multichoice"):
        titles = {
            c["value"]: forms.text(c["title"], request)
            for c in forms.choices(field, service)
        }
        items = value if kind == "multichoice" else [value]
        ordered = [v for v in titles if v in items]
        return ", ".join(titles[v] for v in ordered)
    if kind in ("date", "datetime"):
        return _display_value(value)
    if kind == "decimal":
        return str(value).replace(".", ",")
    return str(value)


def raw_of(stored_answers):
    """The raw values of stored answers (to fill a form again)."""
    return {answer["name"]: answer["value"] for answer in stored_answers}
