"""``DELETE /@household…`` (``resource.py`` lists the paths)."""

from illkirch.eservices.accounts import households
from illkirch.eservices.restapi.household.resource import HouseholdResource


class HouseholdDelete(HouseholdResource):
    def handle(self, household, path):
        match path:
            case ("members", member_id):
                person = self.member(household, member_id)
                self.writable(household)
                self.change(household, households.remove_person, person)
                return self.reply_no_content()
        raise self.not_found()
