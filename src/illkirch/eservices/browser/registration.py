"""The registration wizard « Créer un compte ».

Five steps shown as tabs with progress (``form_macros.pt``: the portal's one
form pattern: error summary, required marker, buttons, summary). What was
typed travels with each step (hidden fields), so that going back keeps it
and nothing is stored before the last step succeeds. Every step is
validated on the server by the same rules as ``POST /@registration``
(``accounts.registration``).
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import registration
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.browser import wizard
from illkirch.eservices.browser.form_field import display_value
from illkirch.eservices.browser.form_field import field_errors
from illkirch.eservices.browser.form_field import summary_error
from illkirch.eservices.browser.forms import captcha_challenge
from illkirch.eservices.browser.forms import field_info
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.content.household import IPerson
from illkirch.eservices.limits import RateLimited
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate
from zope.i18nmessageid import Message

import re
import transaction


MEMBER_KEY = re.compile(r"^members\.(\d+)\.(\w+)$")
TEXT_KEYS = (
    *registration.IDENTITY_FIELDS,
    *registration.ADDRESS_FIELDS,
    "password",
    "password_confirm",
    "consent",
    "captcha_token",
    "captcha_answer",
    registration.HONEYPOT,
)


class RegistrationWizard(BrowserView):
    index = ViewPageTemplateFile("templates/registration.pt")
    done_template = ViewPageTemplateFile("templates/registration_done.pt")
    form_macros = ViewPageTemplateFile("templates/form_macros.pt")
    page_title = _("heading_registration", default="Create an account")
    password_rule = RULE

    def __call__(self):
        self.errors = {}
        self.refusal = None
        self.data = self.read_form()
        self.step = registration.STEP_IDS[0]
        if self.request.get("done"):
            return self.done_template()
        result = wizard.handle_post(self)
        return self.index() if result is None else result

    # form data -----------------------------------------------------------

    def read_form(self):
        form = self.request.form
        data = {key: form.get(key, "") for key in TEXT_KEYS}
        members = {}
        for key, value in form.items():
            match = MEMBER_KEY.match(key)
            if match and match.group(2) in registration.MEMBER_FIELDS:
                members.setdefault(int(match.group(1)), {})[match.group(2)] = value
        data["members"] = [members[i] for i in sorted(members)][
            : registration.MAX_MEMBERS + 1
        ]
        return data

    # actions ---------------------------------------------------------------

    def handle(self, action):
        current = self.request.form.get("step")
        if current not in registration.STEP_IDS:
            current = registration.STEP_IDS[0]
        self.step = current
        if action == "add_member":
            if len(self.data["members"]) < registration.MAX_MEMBERS:
                self.data["members"].append({})
        elif action.startswith("remove_member:"):
            position = action.split(":", 1)[1]
            if position.isdigit() and int(position) < len(self.data["members"]):
                del self.data["members"][int(position)]
        elif action == "submit" and current == registration.STEP_IDS[-1]:
            return self.submit()
        else:
            self.step, self.errors = wizard.move(
                registration.STEP_IDS,
                current,
                action,
                lambda step: registration.validate_step(step, self.data),
            )
        return None

    def submit(self):
        try:
            registration.register(self.data, self.request)
        except registration.RegistrationError as error:
            transaction.doom()
            self.errors = error.errors
            for step in registration.STEP_IDS:
                if registration.validate_step(step, self.data):
                    self.step = step
                    break
            else:
                self.step = registration.STEP_IDS[-1]
            self.data["captcha_answer"] = ""
            return None
        except RateLimited as limited:
            transaction.doom()
            self.request.response.setStatus(429)
            self.refusal = limited.message
            self.step = registration.STEP_IDS[-1]
            self.data["captcha_answer"] = ""
            return None
        root = api.portal.get_navigation_root(self.context).absolute_url()
        self.request.response.redirect(f"{root}/@@creer-un-compte?done=1")
        return ""

    # rendering ---------------------------------------------------------------

    def steps(self):
        current = registration.STEP_IDS.index(self.step)
        return [
            {
                "id": step,
                "title": title,
                "number": number,
                "state": "done"
                if number - 1 < current
                else "current"
                if number - 1 == current
                else "todo",
            }
            for number, (step, title) in enumerate(registration.STEPS, start=1)
        ]

    def step_number(self):
        return registration.STEP_IDS.index(self.step) + 1

    def step_title(self, step=None):
        return dict(registration.STEPS)[step or self.step]

    def step_heading(self):
        return wizard.step_heading(
            self.step_number(), self.step_count(), self.step_title(), self.request
        )

    def title_step(self):
        """The step in the page's title (``viewlets.TitleViewlet``)."""
        if self.request.get("done"):
            return None
        return self.step_heading()

    def has_errors(self):
        return bool(self.errors or self.refusal)

    def steps_label(self):
        return self.translate(
            _("label_registration_steps", default="Steps of the account creation")
        )

    def submit_label(self):
        return _("button_create_account", default="Create my account")

    def step_count(self):
        return len(registration.STEPS)

    def is_first_step(self):
        return self.step == registration.STEP_IDS[0]

    def is_last_step(self):
        return self.step == registration.STEP_IDS[-1]

    def step_fields(self, step=None):
        """The ``form_field``s of a step (its answers, in order)."""
        step = step or self.step
        if step == "identity":
            return self.identity_fields()
        if step == "address":
            return self.address_fields()
        if step == "household":
            return [f for block in self.member_blocks() for f in block["fields"]]
        if step == "password":
            return self.password_fields()
        return []

    def error_list(self):
        """The error summary: each error of the page, a link to its field."""
        fields = self.step_fields()
        result = field_errors(fields)
        shown = {field["name"] for field in fields}
        if self.step == "validation":
            if self.errors.get("consent"):
                shown.add("consent")
                result.append(
                    summary_error(
                        "field-consent",
                        _("label_consent_short", default="Consent"),
                        self.errors["consent"],
                    )
                )
            if self.errors.get("captcha_answer"):
                shown.add("captcha_answer")
                result.append(
                    summary_error(
                        "field-captcha_answer",
                        _("label_captcha_answer", default="Code"),
                        self.errors["captcha_answer"],
                    )
                )
        for key, message in self.errors.items():
            if key not in shown:
                result.append(summary_error("step-title", "", message))
        if self.refusal:
            result.append(summary_error("step-title", "", self.refusal))
        return result

    def field(self, name, schema=None, prefix="", values=None, label=None, **options):
        values = self.data if values is None else values
        return field_info(
            name,
            values.get(name, "") or "",
            self.errors.get(prefix + name),
            (schema or IPerson).get(name),
            key=prefix + name,
            label=label,
            autocomplete=not prefix,
            **options,
            offers=lambda choice: not (name == "relationship" and choice == "holder"),
        )

    def identity_fields(self):
        fields = [
            self.field(n)
            for n in (
                "civility",
                "first_name",
                "last_name",
                "birth_date",
                "birth_place",
            )
        ]
        email = field_info(
            "email",
            self.data.get("email") or "",
            self.errors.get("email"),
            IPerson["email"],
            required=True,
            description=_(
                "help_holder_email",
                default="Your identifier will be sent to this address.",
            ),
        )
        return fields + [email]

    def address_fields(self):
        return [self.field(n, IHousehold) for n in registration.ADDRESS_FIELDS]

    def member_blocks(self):
        return [
            {
                "index": index,
                "fields": [
                    self.field(n, IPerson, f"members.{index}.", member)
                    for n in registration.MEMBER_FIELDS
                ],
            }
            for index, member in enumerate(self.data["members"])
        ]

    def can_add_member(self):
        return len(self.data["members"]) < registration.MAX_MEMBERS

    def password_fields(self):
        # The rule is the password's help, linked by aria-describedby.
        password = self.field(
            "password",
            label=_("label_password", default="Password"),
            description=RULE,
            required=True,
        )
        confirm = self.field(
            "password_confirm",
            required=True,
            label=_("label_password_confirm", default="Password again"),
        )
        return [password, confirm]

    def hidden_fields(self):
        """What other steps typed, carried along (never the captcha)."""
        shown = {
            "identity": set(registration.IDENTITY_FIELDS),
            "address": set(registration.ADDRESS_FIELDS),
            "password": {"password", "password_confirm"},
            "validation": {
                "consent",
                "captcha_token",
                "captcha_answer",
                registration.HONEYPOT,
            },
        }.get(self.step, set())
        hidden = [
            {"name": key, "value": self.data.get(key) or ""}
            for key in TEXT_KEYS
            if key not in shown
            and key
            not in ("captcha_token", "captcha_answer", "consent", registration.HONEYPOT)
            and self.data.get(key)
        ]
        if self.step != "household":
            for index, member in enumerate(self.data["members"]):
                for name in registration.MEMBER_FIELDS:
                    if member.get(name):
                        hidden.append(
                            {"name": f"members.{index}.{name}", "value": member[name]}
                        )
        return hidden

    def summary(self):
        """What will be created, step by step, for the last step: each
        section has a « Modifier » button back to its step."""
        sections = []
        for step in registration.STEP_IDS[:-1]:
            if step == "household":
                rows = [
                    {
                        "label": Message(
                            _("legend_member", default="Member ${number}"),
                            mapping={"number": block["index"] + 1},
                        ),
                        "value": ", ".join(
                            text
                            for text in (
                                self.translate(display_value(f))
                                for f in block["fields"]
                            )
                            if text
                        ),
                    }
                    for block in self.member_blocks()
                ]
            elif step == "password":
                rows = [
                    {
                        "label": _("label_password", default="Password"),
                        "value": _(
                            "summary_password_set", default="Chosen (not shown)"
                        ),
                    }
                ]
            else:
                rows = [
                    {"label": field["label"], "value": display_value(field)}
                    for field in self.step_fields(step)
                    if display_value(field)
                ]
            sections.append(
                {
                    "id": step,
                    "title": self.step_title(step),
                    "rows": rows,
                    "empty": _("no_member_yet", default="No other member declared."),
                }
            )
        return sections

    def captcha(self):
        return captcha_challenge(self.context, self.errors.get("captcha_answer"))

    def consent_error(self):
        return self.errors.get("consent")

    def translate(self, message):
        if isinstance(message, Message):
            return translate(message, context=self.request)
        return message or ""
