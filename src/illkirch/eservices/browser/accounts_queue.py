"""« Comptes à valider »: the agents' queue of accounts awaiting validation.

The page lists the pending households, those whose holder's identity
FranceConnect verified first (#20, with what it verified), then oldest
first, and lets an agent
validate one (setting its billing account number) or reject it with a
reason. The forms POST back to the page with plone.protect's token; the page
calls the domain layer (accounts/validation.py), shows the outcome as a
status message and redirects back (POST/redirect/GET).
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts import validation
from illkirch.eservices.accounts.households import HouseholdError
from illkirch.eservices.content.household import IPerson
from plone import api
from plone.protect import CheckAuthenticator
from plone.rest.interfaces import IAPIRequest
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zope.i18n import translate

import json


VIEW_NAME = "comptes-a-valider"


class AccountsQueueView(BrowserView):
    """The queue of pending accounts, and the agents' decisions."""

    index = ViewPageTemplateFile("templates/accounts_queue.pt")
    page_title = _("title_accounts_queue", default="Accounts to validate")
    delay_days = validation.VALIDATION_DELAY_DAYS

    def __call__(self):
        if self.request.method == "POST":
            return self.handle_decision()
        return self.index()

    # display ----------------------------------------------------------------

    def field(self, name):
        """A text field of the request ("" when missing or not a text)."""
        value = self.request.form.get(name)
        return value.strip() if isinstance(value, str) else ""

    @property
    def search_text(self):
        return self.field("q")

    def url(self, search_text=None):
        url = f"{self.context.absolute_url()}/@@{VIEW_NAME}"
        if search_text:
            url += "?" + urlencode({"q": search_text})
        return url

    def accounts(self):
        """The pending households, those verified by FranceConnect first,
        then oldest first, as dicts for the template."""
        result = []
        for household in franceconnect.verified_first(
            validation.pending_households(self.search_text or None)
        ):
            holder = validation.holder_info(household)
            created = validation.created(household)
            waited = validation.waiting_business_days(household)
            members = [
                {
                    "name": person.Title(),
                    "kind": self._term_title("member_type", person),
                    "relationship": self._term_title("relationship", person),
                }
                for person in household.persons()
            ]
            result.append(
                {
                    "uid": household.UID(),
                    "key": household.getId(),
                    "url": household.absolute_url(),
                    "fullname": holder["fullname"],
                    "identifier": holder["identifier"],
                    "email": holder["email"],
                    "created": api.portal.get_localized_time(
                        household.created(), long_format=True
                    ),
                    "created_iso": created.isoformat(timespec="minutes"),
                    "waiting": waited,
                    "waiting_text": _(
                        "queue_waiting_days",
                        default="${count} working day(s)",
                        mapping={"count": waited},
                    ),
                    "late": validation.is_late(household),
                    "members": members,
                    "billing_account": household.billing_account or "",
                    "verified": self.verified(household),
                }
            )
        return result

    def verified(self, household):
        """What FranceConnect verified of the holder (labels), or None."""
        if not franceconnect.is_verified(household):
            return None
        fields = household.identity_verification.get("fields") or ()
        return ", ".join(
            translate(IPerson[name].title, context=self.request)
            for name in fields
            if name in IPerson
        )

    def _term_title(self, name, person):
        value = getattr(person, name, None)
        vocabulary = IPerson[name].vocabulary
        try:
            return vocabulary.getTerm(value).title
        except LookupError:
            return value or ""

    # decisions ----------------------------------------------------------------

    def _message(self, message, type="info"):
        api.portal.show_message(
            translate(message, context=self.request), request=self.request, type=type
        )

    def handle_decision(self):
        CheckAuthenticator(self.request)
        back = self.url(self.search_text)
        action = self.field("action")
        household = validation.get_household(self.field("household"))
        if household is None or action not in ("validate", "reject"):
            self._message(
                _("error_account_not_found", default="This account was not found."),
                "error",
            )
            return self.request.response.redirect(back)
        name = validation.holder_info(household)["fullname"]
        try:
            if action == "validate":
                validation.validate(
                    household,
                    billing_account=self.field("billing_account"),
                )
                self._message(
                    _(
                        "msg_account_validated",
                        default="The account of ${name} is validated; an "
                        "email informs them.",
                        mapping={"name": name},
                    )
                )
            else:
                validation.reject(household, self.field("reason"))
                self._message(
                    _(
                        "msg_account_rejected",
                        default="The account of ${name} is refused; an "
                        "email gives them the reason.",
                        mapping={"name": name},
                    )
                )
        except (validation.TransitionRefused, HouseholdError) as error:
            self._message(error.message, "error")
        except WorkflowException:  # a colleague decided in the meantime
            self._message(validation.TRANSITION_UNAVAILABLE, "error")
        return self.request.response.redirect(back)


class TransitionRefusedView(BrowserView):
    """Error view of TransitionRefused in the Classic UI.

    Plone's state menu (content_status_modify) lets the exception through;
    the transaction is aborted, and this view shows the French message as an
    error on the form where a reason can be given.
    """

    def __call__(self):
        error = self.context
        if IAPIRequest.providedBy(self.request):  # a REST call let it through
            self.request.response.setStatus(400)
            self.request.response.setHeader("Content-Type", "application/json")
            return json.dumps(
                {"error": {"type": "WorkflowException", "message": str(error)}}
            )
        api.portal.show_message(str(error), request=self.request, type="error")
        url = getattr(error, "url", None)
        if url:
            target = f"{url}/content_status_history"
        else:
            target = api.portal.get().absolute_url()
        self.request.response.redirect(target, lock=True)
        return ""
