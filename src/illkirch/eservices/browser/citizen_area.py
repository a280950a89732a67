"""The citizen area "Mon espace": one page per tab.

Each tab is a view on the site root sharing one layout (the tab bar): the
accounts feature fills « Compte » (here), the requests feature « Accueil »,
« Services » and « Demandes » (``requests.py``, ``services.py``), billing
« Mes comptes ».
"""

from AccessControl import getSecurityManager
from datetime import datetime
from illkirch.eservices import _
from illkirch.eservices import dates
from illkirch.eservices import history
from illkirch.eservices.accounts import credentials
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts import household_input
from illkirch.eservices.accounts import households
from illkirch.eservices.browser import badges
from illkirch.eservices.business_days import TIMEZONE
from illkirch.eservices.content.household import CIVILITIES
from illkirch.eservices.content.household import CONTACT_PREFERENCES
from illkirch.eservices.content.household import RELATIONSHIPS
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.conversation import unread
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import quote
from zoneinfo import ZoneInfo
from zope.i18n import translate


class CitizenAreaTab(BrowserView):
    """Base of the tabs of "Mon espace"."""

    # (view name, label) in display order
    TABS = (
        ("mon-espace", _("tab_home", default="Home")),
        ("mon-espace-compte", _("tab_account", default="Account")),
        ("mon-espace-services", _("tab_services", default="Services")),
        ("mon-espace-demandes", _("tab_requests", default="Requests")),
        ("mon-espace-documents", _("tab_documents", default="My documents")),
        ("mon-espace-factures", _("tab_invoices", default="My accounts")),
    )

    index = ViewPageTemplateFile("templates/citizen_area_tab.pt")
    frame = ViewPageTemplateFile("templates/citizen_area_frame.pt")
    badge_macros = badges.StatusBadges.template
    # the tab that shows the household's unread messages
    UNREAD_TAB = "mon-espace-demandes"
    tab_name = ""
    empty_message = ""
    aria_current = "page"  # "true" on the pages below a tab

    def __call__(self):
        return self.index()

    @property
    def page_title(self):
        return dict(self.TABS)[self.tab_name]

    def root_url(self):
        """The navigation root's URL (once per view: every link uses it)."""
        url = self.__dict__.get("_root_url")
        if url is None:
            url = api.portal.get_navigation_root(self.context).absolute_url()
            self._root_url = url
        return url

    def tabs(self):
        root_url = self.root_url()
        unread_badge = badges.unread_badge(self.unread_total())
        return [
            {
                "url": f"{root_url}/@@{name}",
                "label": label,
                "current": name == self.tab_name,
                "badge": unread_badge if name == self.UNREAD_TAB else None,
            }
            for name, label in self.TABS
        ]

    def unread_total(self):
        """The messages of the household's requests its citizen has not
        read (the household's own catalog entries only)."""
        household = getattr(self, "household", None)
        if household is None:
            household = households.current_household()
        return unread.household_total(household, households.current_userid())

    def fullname(self):
        """The user's full name, else their login name: read on the user PAS
        authenticated (``api.user.get_current`` wraps it as member data)."""
        user = getSecurityManager().getUser()
        get_property = getattr(user, "getProperty", None)
        fullname = get_property("fullname", "") if get_property else ""
        return fullname or user.getUserName()


class AccountTab(CitizenAreaTab):
    """« Compte »: the household, its members and its history.

    Once the town has validated the household, links lead to the forms that
    change it (``browser/account_tab.py``); before, the page says why it
    cannot be changed yet. The forms share this class and its template.
    """

    tab_name = "mon-espace-compte"
    kind = "tab"
    index = ViewPageTemplateFile("templates/account_tab.pt")
    household = None

    ACTIONS = {
        "household_created": _("history_household_created", default="Account created"),
        "household_updated": _(
            "history_household_updated", default="Household details changed"
        ),
        "person_added": _("history_person_added", default="Member added"),
        "person_updated": _("history_person_updated", default="Member changed"),
        "person_removed": _("history_person_removed", default="Member removed"),
        "transition_validate": _(
            "history_transition_validate", default="Account validated by the town"
        ),
        "transition_reject": _(
            "history_transition_reject", default="Account refused by the town"
        ),
        "transition_suspend": _(
            "history_transition_suspend", default="Account suspended by the town"
        ),
        "transition_close": _(
            "history_transition_close", default="Account closed by the town"
        ),
        "password_changed": _("history_password_changed", default="Password changed"),
        "email_changed": _("history_email_changed", default="Email address changed"),
        "closure_requested": _(
            "history_closure_requested", default="Closure of the account requested"
        ),
        "account_closed": _("history_account_closed", default="Account closed"),
    }
    STATUS_TITLES = {
        "pending": _("status_pending", default="Your account awaits validation"),
        "rejected": _("status_rejected", default="Your account has been refused"),
        "suspended": _("status_suspended", default="Your account is suspended"),
    }
    status_locked = _("status_locked", default="Your account cannot be changed")
    not_set = _("not_set", default="not provided")

    def __call__(self):
        self.household = households.current_household()
        return self.index()

    # state -------------------------------------------------------------------

    @property
    def no_household_message(self):
        return household_input.NO_HOUSEHOLD

    @property
    def editable(self):
        """The household may be changed by its citizen (asked about ten
        times a page: the state is looked up once)."""
        return self.household is not None and self.state() == households.EDITABLE_STATE

    def state(self):
        """The household's workflow state, looked up once per household."""
        cached = self.__dict__.get("_state")
        if cached is None or cached[0] is not self.household:
            cached = (self.household, households.state(self.household))
            self._state = cached
        return cached[1]

    def state_title(self):
        return household_input.STATE_TITLES.get(self.state(), self.state())

    def status(self):
        """Why the household cannot be changed, or None when it can."""
        if self.household is None or self.editable:
            return None
        state = self.state()
        return {
            "state": state,
            "title": self.STATUS_TITLES.get(state, self.status_locked),
            "message": household_input.locked_message(self.household),
            "email": household_input.contact_email(),
        }

    # links -------------------------------------------------------------------

    def has_password(self):
        """False for an account made through FranceConnect that has not
        chosen a password yet: « Choisir un mot de passe » is offered
        instead of « Modifier mon mot de passe » (``@@changer-mot-de-passe``
        serves both)."""
        return credentials.needs_current_password(households.current_userid())

    # FranceConnect (#20): link or unlink in « Compte »
    def franceconnect_offered(self):
        return franceconnect.is_enabled()

    def franceconnect_linked(self):
        return franceconnect.linked_sub(households.current_userid()) is not None

    def franceconnect_can_unlink(self):
        return franceconnect.has_password(households.current_userid())

    def url(self, view, member=None):
        query = f"?membre={quote(member)}" if member else ""
        return f"{self.root_url()}/@@{view}{query}"

    # data --------------------------------------------------------------------

    def address_lines(self):
        household = self.household
        return [
            line
            for line in (
                household.street,
                household.address_complement,
                " ".join(p for p in (household.postal_code, household.city) if p),
            )
            if line
        ]

    def details(self):
        household = self.household
        preference = household.contact_preference
        return [
            {
                "label": IHousehold["contact_preference"].title,
                "value": self.term_title(CONTACT_PREFERENCES, preference)
                if preference
                else None,
            },
            {"label": IHousehold["phone"].title, "value": household.phone},
            {"label": IHousehold["mobile"].title, "value": household.mobile},
            {
                "label": IHousehold["billing_account"].title,
                "value": household.billing_account,
            },
        ]

    def members(self):
        """``{"adults": [...], "children": [...]}`` in the household's order."""
        result = {"adults": [], "children": []}
        for person in self.household.persons():
            key = "adults" if person.member_type == "adult" else "children"
            relationship = person.relationship
            result[key].append(
                {
                    "id": person.getId(),
                    "name": person.Title(),
                    "civility": self.term_title(CIVILITIES, person.civility),
                    "birth_date": dates.format_date(person.birth_date),
                    "birth_place": person.birth_place,
                    "relationship": self.term_title(RELATIONSHIPS, relationship),
                    "email": person.email,
                    "phone": person.phone,
                    "is_holder": relationship == "holder",
                    "edit_url": self.url("modifier-membre", person.getId()),
                    "remove_url": self.url("retirer-membre", person.getId()),
                }
            )
        return result

    def history(self):
        """The changes, newest first, with French labels."""
        me = households.current_userid()
        zone = self.time_zone()
        return [
            {
                "time": self.format_time(entry.get("time"), zone),
                "iso": entry.get("time"),
                "label": self.ACTIONS.get(entry.get("action"), entry.get("action")),
                "details": self._details(entry),
                "actor": _("history_actor_you", default="You")
                if entry.get("actor") == me
                else _("history_actor_town", default="The town's services"),
            }
            for entry in reversed(history.entries(self.household))
        ]

    @staticmethod
    def time_zone():
        """The site's time zone (``plone.portal_timezone``), or None."""
        zone = api.portal.get_registry_record("plone.portal_timezone", default=None)
        try:
            return ZoneInfo(zone) if zone else TIMEZONE
        except (KeyError, ValueError):
            return None

    @staticmethod
    def format_time(iso, zone=False):
        """An ISO time (UTC) as ``27/11/2026 08:17`` in the site's time zone
        (``zone``, from ``time_zone()``, to format many at once)."""
        try:
            moment = datetime.fromisoformat(iso)
        except (TypeError, ValueError):
            return iso
        if zone is False:
            zone = AccountTab.time_zone()
        return dates.format_datetime(moment, zone)

    @staticmethod
    def term_title(vocabulary, value):
        return vocabulary.getTerm(value).title if value in vocabulary else value

    def _details(self, entry):
        details = entry.get("text") or ""
        if entry.get("action") != "household_updated":
            return details
        names = [name.strip() for name in details.split(",") if name.strip()]
        return ", ".join(
            translate(IHousehold[name].title, context=self.request)
            if name in IHousehold
            else name
            for name in names
        )
