"""``PATCH /@household…`` (``resource.py`` lists the paths)."""

from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.household_input import read_household
from illkirch.eservices.accounts.household_input import read_person
from illkirch.eservices.restapi.household.resource import HouseholdResource
from illkirch.eservices.restapi.household.resource import invalid
from plone.restapi.deserializer import json_body


class HouseholdPatch(HouseholdResource):
    def handle(self, household, path):
        match path:
            case ():
                self.writable(household)
                values, errors = read_household(json_body(self.request), household)
                if errors:
                    raise invalid(errors)
                self.change(household, households.update_household, values)
                return self.household_json(household)
            case ("members", member_id):
                person = self.member(household, member_id)
                self.writable(household)
                values, errors = read_person(json_body(self.request), partial=True)
                if errors:
                    raise invalid(errors)
                changes = {
                    name: value
                    for name, value in values.items()
                    if getattr(person, name, None) != value
                }
                if changes:
                    self.change(household, households.update_person, person, changes)
                return self.member_json(person)
        raise self.not_found()
