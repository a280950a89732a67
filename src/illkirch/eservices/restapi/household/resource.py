"""``/@household``: the logged-in citizen's own household over REST.

    GET    /@household                  the household and its members (and
                                        the account's ``has_password``)
    PATCH  /@household                  change its address, contact, phones
    GET    /@household/members          its members
    POST   /@household/members          add a member (201)
    GET    /@household/members/<id>     a member
    PATCH  /@household/members/<id>     change a member
    DELETE /@household/members/<id>     remove a member (204)
    GET    /@household/export           all the data held (as @@mes-donnees.json)

No route names a household: each one works on the household of the current
user, so that nobody reaches another household's data this way; a member id
of another household is not found (404). The services only read the request
and call ``accounts.households``, which checks the permissions and the rules.
"""

from AccessControl import Unauthorized
from illkirch.eservices import _
from illkirch.eservices.accounts import credentials
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.export import household_data
from illkirch.eservices.accounts.export import member_data
from illkirch.eservices.accounts.household_input import NO_HOUSEHOLD
from illkirch.eservices.accounts.household_input import NO_MEMBER
from illkirch.eservices.accounts.household_input import STATE_TITLES
from illkirch.eservices.accounts.household_input import domain_errors
from illkirch.eservices.accounts.household_input import locked_message
from illkirch.eservices.accounts.household_input import member_of
from illkirch.eservices.accounts.households import HouseholdError
from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.traversal import TraversingService
from plone import api
from zope.i18n import translate

import transaction


INVALID_INPUT = _(
    "error_household_input",
    default="The data sent are not valid: see the error of each field.",
)
FORBIDDEN = _(
    "error_household_forbidden", default="You are not allowed to change this household."
)


class Problem(Exception):
    """Ends a request with ``status`` and a French answer (with the errors
    of the fields sent when there are some)."""

    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors

    def answer(self, request):
        if self.errors is None:
            return error_answer(request, self.status, self.message)
        return field_errors(request, self.errors, self.message)


def invalid(errors, message=INVALID_INPUT):
    return Problem(400, message, errors)


class HouseholdResource(TraversingService):
    """What the methods of ``@household`` share: sub-paths (members,
    <member id>, export), look-ups, errors, serialisation."""

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            return self.handle(self.household(), tuple(self.params))
        except Problem as problem:
            transaction.doom()
            return problem.answer(self.request)

    def handle(self, household, path):
        raise NotImplementedError

    # look-ups --------------------------------------------------------------

    @property
    def base_url(self):
        return f"{self.context.absolute_url()}/@household"

    def household(self):
        household = households.current_household()
        if household is None:
            raise Problem(404, NO_HOUSEHOLD)
        return household

    def member(self, household, member_id):
        person = member_of(household, member_id)
        if person is None:
            raise Problem(404, NO_MEMBER)
        return person

    def not_found(self):
        return Problem(404, NOT_FOUND)

    # writing ---------------------------------------------------------------

    def writable(self, household):
        """403 with the reason while the town has not validated the household."""
        if not households.is_editable_by_citizen(household):
            raise Problem(403, locked_message(household))

    def change(self, household, function, *args):
        """Call the domain; its refusals become 403 or 400 with French messages."""
        try:
            return function(household, *args)
        except Unauthorized:
            if not households.is_editable_by_citizen(household):
                raise Problem(403, locked_message(household)) from None
            raise Problem(403, FORBIDDEN) from None
        except HouseholdError as error:
            if not households.is_editable_by_citizen(household):
                raise Problem(403, locked_message(household)) from None
            errors = domain_errors(error)
            raise invalid(errors, INVALID_INPUT if errors else error.message) from None

    # serialisation -----------------------------------------------------------

    def member_json(self, person):
        data = member_data(person)
        data["@id"] = f"{self.base_url}/members/{person.getId()}"
        return data

    def household_json(self, household):
        state = households.state(household)
        editable = households.is_editable_by_citizen(household)
        data = household_data(household)
        data.update(
            {
                "@id": self.base_url,
                "review_state": state,
                "review_state_title": translate(
                    STATE_TITLES.get(state, state), context=self.request
                ),
                "editable": editable,
                "locked_message": None
                if editable
                else translate(locked_message(household), context=self.request),
                "members": [self.member_json(p) for p in household.persons()],
                "export": {"@id": f"{self.base_url}/export"},
                # the account's, for a client's « Modifier mon mot de passe »:
                # false until an account made through FranceConnect chooses
                # one (POST /@account-password without current_password)
                "has_password": credentials.needs_current_password(
                    api.user.get_current().getId()
                ),
            }
        )
        return data
