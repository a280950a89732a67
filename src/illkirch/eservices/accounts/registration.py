"""Registration of a citizen account: the rules of every step, the captcha,
the creation of the account and its household, the welcome email.

The wizard (``browser/registration.py``) and ``POST /@registration`` both
call ``validate_step`` and ``register``: one set of rules, one set of French
messages. Nothing is created before ``register`` succeeds.

No account enumeration: when the email address already belongs to an
account, ``register`` answers as for a new account and emails that address
instead (its identifier and how to reset the password). Both answers leave
``ANSWER_SECONDS`` after the request arrived, once the work of either path
(creating the account and its household, the email) is done, so that their
time does not tell either.

Accepted registrations are rate-limited: ``PER_ADDRESS`` an hour from one
client address, ``PER_EMAIL`` an hour for one email address (new or known
alike), then ``RateLimited`` with a French message (429 over REST).
"""

from datetime import date
from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices import mail
from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts.households import HOUSEHOLD_FIELDS
from illkirch.eservices.accounts.households import HouseholdError
from illkirch.eservices.accounts.households import check_person
from illkirch.eservices.accounts.households import create_household
from illkirch.eservices.accounts.identifiers import unique_identifier
from illkirch.eservices.accounts.passwords import password_problems
from illkirch.eservices.accounts.tokens import forget_expired
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.content.household import IPerson
from illkirch.eservices.content.validators import EMAIL_RE
from illkirch.eservices.content.validators import InvalidValue
from illkirch.eservices.errors import FieldErrors
from illkirch.eservices.folding import fold
from illkirch.eservices.limits import RateLimit
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.limits import answer_not_before
from illkirch.eservices.limits import client_address
from illkirch.eservices.messages import INVALID_EMAIL
from illkirch.eservices.messages import REQUIRED
from illkirch.eservices.site_storage import site_btree
from plone import api
from plone.keyring.interfaces import IKeyManager
from urllib.parse import quote
from zope.component import getUtility
from zope.interface import Invalid
from zope.schema import ValidationError
from zope.schema.interfaces import ConstraintNotSatisfied
from zope.schema.interfaces import RequiredMissing
from zope.schema.interfaces import TooLong

import time


STEPS = (
    ("identity", _("step_identity", default="Identity")),
    ("address", _("step_address", default="Address and contact")),
    ("household", _("step_household", default="Household members")),
    ("password", _("step_password", default="Password")),
    ("validation", _("step_validation", default="Validation")),
)
STEP_IDS = tuple(step for step, _title in STEPS)

IDENTITY_FIELDS = (
    "civility",
    "first_name",
    "last_name",
    "birth_date",
    "birth_place",
    "email",
)
# The address step asks for the household's own fields.
ADDRESS_FIELDS = HOUSEHOLD_FIELDS
MEMBER_FIELDS = (
    "member_type",
    "civility",
    "first_name",
    "last_name",
    "birth_date",
    "birth_place",
    "relationship",
)
MEMBER_RELATIONSHIPS = ("spouse", "child", "parent", "other")
MAX_MEMBERS = 12
HONEYPOT = "website"
USED_CAPTCHAS_KEY = "illkirch.eservices.used_captchas"


HOUR = 3600
PER_ADDRESS = 5  # accepted registrations an hour from one client address
PER_EMAIL = 2  # accepted registrations an hour for one email address
ANSWER_SECONDS = 1.0
TOO_MANY = _(
    "error_registration_too_many",
    default="Too many accounts were asked for from your connection or with "
    "this email address: try again in an hour.",
)


class RegistrationError(FieldErrors):
    """The data do not allow the registration."""


# field validation ----------------------------------------------------------


def parse_date(value):
    """A date typed as DD/MM/YYYY, or YYYY-MM-DD (what HTML date inputs and
    JSON send) → date."""
    if isinstance(value, date) or value in (None, ""):
        return value or None
    try:
        return dates.parse_date(value)
    except ValueError:
        raise InvalidValue(
            _("error_date_format", default="Enter a date as DD/MM/YYYY.")
        ) from None


def _message(error, field):
    """The French message of a zope.schema validation error."""
    if isinstance(error, RequiredMissing):
        return REQUIRED
    if isinstance(error, TooLong):
        return _(
            "error_too_long",
            default="This text is too long (${max} characters at most).",
            mapping={"max": field.max_length},
        )
    if isinstance(error, ConstraintNotSatisfied):
        return _("error_choice", default="Choose a value from the list.")
    if (
        isinstance(error, Invalid)
        and error.args
        and not isinstance(error, ValidationError)
    ):
        return error.args[0]
    if error.args and isinstance(error.args[0], str) and error.args[0]:
        return error.args[0]
    return _("error_invalid", default="This value is not valid.")


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def check_fields(schema, names, data, prefix=""):
    """Validate ``data[name]`` with the schema's fields; return the errors."""
    errors = {}
    for name in names:
        field = schema[name]
        value = _clean(data.get(name))
        try:
            if name == "birth_date":
                value = parse_date(value)
            if value in (None, ""):
                if field.required:
                    raise RequiredMissing(name)
                continue
            field.bind(None).validate(value)
        except (ValidationError, Invalid) as error:
            errors[prefix + name] = _message(error, field)
    return errors


def _check_email(data, errors):
    email = _clean(data.get("email")) or ""
    if not email:
        errors["email"] = REQUIRED
    elif len(email) > 254 or not EMAIL_RE.match(email):
        errors["email"] = INVALID_EMAIL


def validate_step(step, data):
    """The errors of one step of the registration (empty dict when valid)."""
    if step == "identity":
        errors = check_fields(
            IPerson,
            ("civility", "first_name", "last_name", "birth_date", "birth_place"),
            data,
        )
        _check_email(data, errors)
        return errors
    if step == "address":
        errors = check_fields(IHousehold, ADDRESS_FIELDS, data)
        if data.get("contact_preference") == "phone" and not (
            _clean(data.get("phone")) or _clean(data.get("mobile"))
        ):
            errors.setdefault(
                "mobile",
                _(
                    "error_phone_needed",
                    default="Give a telephone number to be contacted by telephone.",
                ),
            )
        return errors
    if step == "household":
        return _validate_members(data)
    if step == "password":
        return _validate_password(data)
    if step == "validation":
        errors = {}
        if not data.get("consent"):
            errors["consent"] = _(
                "error_consent",
                default="Please accept the processing of your "
                "data to create your account.",
            )
        return errors
    raise ValueError(f"unknown step {step!r}")


def validate_all(data):
    errors = {}
    for step in STEP_IDS:
        errors.update(validate_step(step, data))
    return errors


def _validate_members(data):
    errors = {}
    members = data.get("members") or []
    if len(members) > MAX_MEMBERS:
        return {
            "members": _(
                "error_too_many_members",
                default="Declare at most ${max} members here; add "
                "the others once the account is validated.",
                mapping={"max": MAX_MEMBERS},
            )
        }
    holder = _holder(data)
    adults = [holder] if holder.get("birth_date") else []
    for index, member in enumerate(members):
        prefix = f"members.{index}."
        member_errors = check_fields(IPerson, MEMBER_FIELDS, member, prefix)
        if member.get("relationship") not in (None, "", *MEMBER_RELATIONSHIPS):
            member_errors[prefix + "relationship"] = _(
                "error_choice", default="Choose a value from the list."
            )
        if not member_errors:
            person = _person_values(member)
            try:
                _check_against(person, adults)
            except HouseholdError as error:
                member_errors[prefix + (error.field or "first_name")] = error.message
            if person["member_type"] == "adult":
                adults.append(person)
        errors.update(member_errors)
    return errors


def _check_against(person, adults):
    """The household rules (a child born after its parents) before creation."""

    class Draft:
        def __init__(self, persons):
            self._persons = persons

        def persons(self):
            return self._persons

    class Draftee:
        def __init__(self, values):
            self.__dict__.update(values)

    check_person(Draft([Draftee(a) for a in adults]), person)


def _validate_password(data):
    password = data.get("password") or ""
    if not password:
        return {"password": REQUIRED}
    personal = [data.get("first_name"), data.get("last_name"), data.get("email")]
    problems = password_problems(password, personal=[p for p in personal if p])
    if problems:
        return {"password": problems[0]}
    if password != data.get("password_confirm"):
        return {
            "password_confirm": _(
                "error_password_confirm", default="The two passwords differ."
            )
        }
    return {}


# captcha --------------------------------------------------------------------


def captcha_secret():
    """The site's system secret (plone.keyring), as bytes."""
    return getUtility(IKeyManager).secret().encode("utf-8")


def new_captcha():
    return captcha.new_token(captcha_secret())


def captcha_challenge(context):
    """A new challenge: its token, the length of its answer, the URLs of its
    image and of its French audio version (pages and REST alike)."""
    token = new_captcha()
    root = api.portal.get_navigation_root(context).absolute_url()
    return {
        "token": token,
        "length": captcha.ANSWER_LENGTH,
        "image": f"{root}/@@captcha-image?token={quote(token)}",
        "audio": f"{root}/@@captcha-audio?token={quote(token)}",
    }


def _used_captchas():
    return site_btree(USED_CAPTCHAS_KEY)


def captcha_is_right(token, answer):
    """True when the answer is right and the token was never used (no write)."""
    if not token or not captcha.check_answer(captcha_secret(), token, answer or ""):
        return False
    return captcha.nonce_of(token) not in _used_captchas()


def use_captcha(token):
    """Record the token as used (single use); forget the expired ones."""
    used = _used_captchas()
    now = time.time()
    forget_expired(used, now)
    used[captcha.nonce_of(token)] = (now + captcha.TOKEN_TTL,)
    return True


# registration ----------------------------------------------------------------


def _holder(data):
    values = {name: _clean(data.get(name)) for name in IDENTITY_FIELDS}
    values["birth_date"] = _safe_date(values.get("birth_date"))
    values.update(member_type="adult", relationship="holder")
    return values


def _safe_date(value):
    try:
        return parse_date(value)
    except Invalid:
        return None


def _person_values(member):
    values = {name: _clean(member.get(name)) for name in MEMBER_FIELDS}
    values["birth_date"] = parse_date(values.get("birth_date"))
    return values


def _user_with_email(email):
    pas = api.portal.get_tool("acl_users")
    for info in pas.searchUsers(email=email, exact_match=True):
        user = api.user.get(userid=info["userid"])
        if (
            user is not None
            and (user.getProperty("email") or "").lower() == email.lower()
        ):
            return user
    return None


def register(data, request=None):
    """Create the account, its household (awaiting validation) and send the
    identifier by email. Raises RegistrationError with every error found.

    Returns the new user id, or None when the email address already had an
    account (that address is then told so by email: the caller answers the
    same in both cases).
    """
    started = time.monotonic()
    if _clean(data.get(HONEYPOT)):
        # A robot filled the field hidden from people: refuse like a bad captcha.
        raise RegistrationError({"captcha_answer": captcha_error()})
    errors = validate_all(data)
    if not captcha_is_right(data.get("captcha_token"), data.get("captcha_answer")):
        errors["captcha_answer"] = captcha_error()
    if errors:
        raise RegistrationError(errors)
    email = data["email"].strip()
    _count(email, request)
    use_captcha(data["captcha_token"])
    answer_not_before(ANSWER_SECONDS, started)

    existing = _user_with_email(email)
    if existing is not None:
        _mail_existing_account(existing, request)
        return None

    pas = api.portal.get_tool("acl_users")
    login = unique_identifier(
        data["first_name"],
        data["last_name"],
        taken=lambda folded: pas.getUserById(folded) is not None,
    )
    userid = fold(login)
    pas.source_users.addUser(userid, login, data["password"])
    user = api.user.get(userid=userid)
    fullname = f"{data['first_name'].strip()} {data['last_name'].strip()}"
    user.setMemberProperties({"email": email, "fullname": fullname})
    api.user.grant_roles(user=user, roles=["Member"])

    address = {name: _clean(data.get(name)) for name in ADDRESS_FIELDS}
    persons = [_holder(data)] + [_person_values(m) for m in data.get("members") or []]
    for person in persons:
        person["email"] = (
            person.get("email") if person["member_type"] == "adult" else None
        )
    create_household(userid, fullname, address, persons)
    _mail_welcome(email, login, fullname, request)
    return userid


def _count(email, request):
    """Count an accepted registration; RateLimited over the limits."""
    per_address = RateLimit("registration-address", PER_ADDRESS, HOUR)
    per_email = RateLimit("registration-email", PER_EMAIL, HOUR)
    address, key = client_address(request), email.lower()[:254]
    if not (per_address.allows(address) and per_email.allows(key)):
        raise RateLimited(TOO_MANY)
    per_address.take(address)
    per_email.take(key)


def captcha_error():
    return _(
        "error_captcha",
        default="The verification code is wrong or has expired: type the "
        "new code shown.",
    )


def _mail_welcome(email, login, fullname, request):
    mail.send(
        email,
        _("mail_welcome_subject", default="Your account on the citizen portal"),
        _(
            "mail_welcome_body",
            default="Hello ${fullname},\n\nYour account has been created. Your "
            "identifier is:\n\n    ${login}\n\nAccents count, but you may also "
            "type it without accents, or log in with your email address.\n\nThe "
            "town's services will now check your account, usually within 2 "
            "business days; an email will tell you when it is validated. "
            "Meanwhile you can already file online requests; changing your "
            "account will be possible once it is validated.",
            mapping={"fullname": fullname, "login": login},
        ),
        request,
    )


def _mail_existing_account(user, request):
    mail.send(
        user.getProperty("email"),
        _("mail_existing_subject", default="Your account on the citizen portal"),
        _(
            "mail_existing_body",
            default="Hello,\n\nSomeone asked to create an account on the citizen "
            "portal with this email address, which already has an account. Its "
            "identifier is:\n\n    ${login}\n\nIf you have forgotten your "
            "password, use the link « Mot de passe oublié ? » on the login "
            "page. If you did not ask for anything, you can ignore this message.",
            mapping={"login": user.getUserName()},
        ),
        request,
    )
