"""The forms of the « Compte » tab and the download of the citizen's data.

Each form is a view on the site root working on the current user's own
household (``accounts.households.current_household``): no URL names a
household, so no form can reach another one; a member is looked up in that
household only (404 otherwise). The forms are plain HTML forms checked on the
server (same field checks as the REST services: ``accounts.household_input``)
and protected against CSRF (``CheckAuthenticator``); the changes themselves
are made by ``accounts.households``, which holds the rules.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.export import export_household
from illkirch.eservices.accounts.household_input import domain_errors
from illkirch.eservices.accounts.household_input import member_of
from illkirch.eservices.accounts.household_input import read_household
from illkirch.eservices.accounts.household_input import read_person
from illkirch.eservices.accounts.households import HOUSEHOLD_FIELDS
from illkirch.eservices.accounts.households import PERSON_FIELDS
from illkirch.eservices.accounts.households import HouseholdError
from illkirch.eservices.browser.citizen_area import AccountTab
from illkirch.eservices.browser.forms import field_info
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.content.household import IPerson
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound

import json
import transaction


class AccountForm(AccountTab):
    """Base of the forms: the household, the POST handling, the fields."""

    form_macros = ViewPageTemplateFile("templates/form_macros.pt")

    kind = "form"
    schema = IHousehold
    submit_label = _("button_save", default="Save")
    shows_billing_account = False
    errors = None
    general_error = None

    def __call__(self):
        self.household = households.current_household()
        self.errors = {}
        if self.household is None:
            return self.index()  # the template says why there is no form
        posted = self.request.method == "POST"
        if posted:
            CheckAuthenticator(self.request)
        self.setup()
        if not self.editable:
            return self.index()  # the template says why there is no form
        if posted:
            result = self.submit()
            if result is not None:
                return result
            transaction.doom()  # nothing of a refused change is kept
        return self.index()

    def setup(self):
        """Look up what the form works on."""

    def submit(self):
        """Handle the POST; return the response when done, None to show errors."""
        raise NotImplementedError

    def done(self, message):
        api.portal.show_message(message, request=self.request, type="info")
        self.request.response.redirect(self.url("mon-espace-compte"))
        return ""

    def refused(self, error):
        """Show a HouseholdError of the domain next to its field (or above)."""
        errors = domain_errors(error)
        if errors:
            self.errors.update(errors)
        else:
            self.general_error = error.message

    # rendering ---------------------------------------------------------------

    aria_current = "true"  # a page below the « Compte » tab, not the tab itself

    def action_url(self):
        return self.request.getURL()

    def stored_value(self, name):
        return getattr(self.household, name, None)

    def field(self, name):
        schema_field = self.schema[name]
        if self.request.method == "POST":
            value = self.request.form.get(name, "")
            value = value if isinstance(value, str) else ""
        else:
            value = self.stored_value(name)
            value = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        return field_info(
            name,
            value,
            self.errors.get(name),
            schema_field,
            offers=lambda choice: self.offers(name, choice),
        )

    def offers(self, name, value):
        """Whether a choice is proposed (the holder is not chosen in a form)."""
        return not (name == "relationship" and value == "holder")

    def groups(self):
        """``[{"legend", "fields": [...]}]``, one fieldset each."""
        raise NotImplementedError

    def has_errors(self):
        return bool(self.errors or self.general_error)

    def error_list(self):
        """The errors for the summary above the form, in the form's order
        (``form_macros.pt``'s ``error_summary``), the general one last."""
        items = []
        for group in self.groups():
            for field in group["fields"]:
                if field["error"]:
                    items.append(
                        {
                            "anchor": field["anchor"],
                            "label": field["label"],
                            "message": field["error"],
                        }
                    )
        if self.general_error:
            items.append(
                {"anchor": "error-summary", "label": "", "message": self.general_error}
            )
        return items


class HouseholdForm(AccountForm):
    """``@@modifier-foyer``: the address, the contact preference, the phones."""

    page_title = _("heading_edit_household", default="Change the address and contact")
    shows_billing_account = True

    def submit(self):
        data = {name: self.request.form.get(name, "") for name in HOUSEHOLD_FIELDS}
        values, self.errors = read_household(data, self.household)
        if self.errors:
            return None
        try:
            changed = households.update_household(self.household, values)
        except HouseholdError as error:
            self.refused(error)
            return None
        if not changed:
            return self.done(_("message_no_change", default="Nothing was changed."))
        return self.done(
            _("message_household_saved", default="Your household has been updated.")
        )

    def billing_account(self):
        return self.household.billing_account

    def groups(self):
        return [
            {
                "legend": _(
                    "legend_household_address", default="Your household's address"
                ),
                "fields": [
                    self.field(n)
                    for n in ("street", "address_complement", "postal_code", "city")
                ],
            },
            {
                "legend": _(
                    "legend_household_contact", default="How the town contacts you"
                ),
                "fields": [
                    self.field(n) for n in ("contact_preference", "phone", "mobile")
                ],
            },
        ]


class MemberForm(AccountForm):
    """Base of the forms of a member."""

    schema = IPerson
    person = None

    def names(self):
        return PERSON_FIELDS

    def stored_value(self, name):
        return getattr(self.person, name, None) if self.person is not None else None

    def field(self, name):
        """Autocompleted (WCAG 1.3.5) only for the holder: the browser
        fills in its user's own name, email and phone, never another
        member's."""
        info = super().field(name)
        if self.person is None or self.person.relationship != "holder":
            info["autocomplete"] = "off"
        return info

    def groups(self):
        names = self.names()
        groups = [
            {
                "legend": _("legend_member_kind", default="Place in the household"),
                "fields": ("member_type", "relationship"),
            },
            {
                "legend": _("legend_member_identity", default="Identity"),
                "fields": (
                    "civility",
                    "first_name",
                    "last_name",
                    "birth_date",
                    "birth_place",
                ),
            },
            {
                "legend": _("legend_member_contact", default="Contact (adults only)"),
                "fields": ("email", "phone"),
            },
        ]
        return [
            {
                "legend": group["legend"],
                "fields": [self.field(n) for n in group["fields"] if n in names],
            }
            for group in groups
            if any(n in names for n in group["fields"])
        ]

    def read(self):
        data = {name: self.request.form.get(name, "") for name in self.names()}
        values, self.errors = read_person(data, names=self.names())
        return values


class MemberAddForm(MemberForm):
    """``@@ajouter-membre``."""

    page_title = _("heading_add_member", default="Add a member")
    submit_label = _("button_add_this_member", default="Add this member")

    def submit(self):
        values = self.read()
        if self.errors:
            return None
        try:
            person = households.add_person(self.household, values)
        except HouseholdError as error:
            self.refused(error)
            return None
        return self.done(
            _(
                "message_member_added",
                default="${name} is now a member of your household.",
                mapping={"name": person.Title()},
            )
        )


class MemberMixin:
    """The member of ``?membre=<id>``, in the current household only."""

    person = None

    def setup(self):
        self.person = member_of(self.household, self.request.form.get("membre"))
        if self.person is None:
            raise NotFound("No such member in your household")

    def member_id(self):
        return self.person.getId() if self.person is not None else None

    def member_name(self):
        return self.person.Title() if self.person is not None else ""


class MemberEditForm(MemberMixin, MemberForm):
    """``@@modifier-membre?membre=<id>``."""

    @property
    def page_title(self):
        return _(
            "heading_edit_member",
            default="Change the details of ${name}",
            mapping={"name": self.member_name()},
        )

    def names(self):
        # the account holder stays the adult holding the account
        if self.person is not None and self.person.relationship == "holder":
            return tuple(
                n for n in PERSON_FIELDS if n not in ("member_type", "relationship")
            )
        return PERSON_FIELDS

    def offers(self, name, value):
        if self.person is not None and self.person.relationship == "holder":
            return True
        return super().offers(name, value)

    def submit(self):
        values = self.read()
        if self.errors:
            return None
        changes = {
            name: value
            for name, value in values.items()
            if getattr(self.person, name, None) != value
        }
        if not changes:
            return self.done(_("message_no_change", default="Nothing was changed."))
        try:
            households.update_person(self.household, self.person, changes)
        except HouseholdError as error:
            self.refused(error)
            return None
        return self.done(
            _(
                "message_member_saved",
                default="The details of ${name} have been updated.",
                mapping={"name": self.person.Title()},
            )
        )


class MemberRemoveForm(MemberMixin, AccountForm):
    """``@@retirer-membre?membre=<id>``: asks for confirmation, then removes."""

    kind = "remove"
    submit_label = _("button_remove_this_member", default="Remove this member")

    @property
    def page_title(self):
        return _(
            "heading_remove_member",
            default="Remove ${name} from the household",
            mapping={"name": self.member_name()},
        )

    def groups(self):
        return []

    def submit(self):
        name = self.person.Title()
        try:
            households.remove_person(self.household, self.person)
        except HouseholdError as error:
            self.refused(error)
            return None
        return self.done(
            _(
                "message_member_removed",
                default="${name} is no longer a member of your household.",
                mapping={"name": name},
            )
        )


class DataDownload(BrowserView):
    """``@@mes-donnees.json``: all the data held about the user's household."""

    filename = "mes-donnees.json"

    def __call__(self):
        household = households.current_household()
        if household is None:
            raise NotFound("This account has no household")
        body = json.dumps(export_household(household), ensure_ascii=False, indent=2)
        response = self.request.response
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        response.setHeader(
            "Content-Disposition", f'attachment; filename="{self.filename}"'
        )
        response.setHeader("X-Content-Type-Options", "nosniff")
        response.setHeader("Cache-Control", "no-store")
        return body.encode("utf-8")
