"""``GET /@household…`` (``resource.py`` lists the paths)."""

from illkirch.eservices.accounts.export import export_household
from illkirch.eservices.restapi.household.resource import HouseholdResource


class HouseholdGet(HouseholdResource):
    def handle(self, household, path):
        match path:
            case ():
                return self.household_json(household)
            case ("export",):
                return export_household(household)
            case ("members",):
                items = [self.member_json(p) for p in household.persons()]
                return {
                    "@id": f"{self.base_url}/members",
                    "items": items,
                    "items_total": len(items),
                }
            case ("members", member_id):
                return self.member_json(self.member(household, member_id))
        raise self.not_found()
