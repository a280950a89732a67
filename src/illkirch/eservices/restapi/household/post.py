"""``POST /@household…`` (``resource.py`` lists the paths)."""

from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.household_input import read_person
from illkirch.eservices.restapi.household.resource import HouseholdResource
from illkirch.eservices.restapi.household.resource import invalid
from plone.restapi.deserializer import json_body


class HouseholdPost(HouseholdResource):
    def handle(self, household, path):
        if path != ("members",):
            raise self.not_found()
        self.writable(household)
        values, errors = read_person(json_body(self.request))
        if errors:
            raise invalid(errors)
        person = self.change(household, households.add_person, values)
        data = self.member_json(person)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", data["@id"])
        return data
