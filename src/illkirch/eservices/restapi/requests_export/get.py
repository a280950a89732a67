"""``GET /@requests-export?…`` (and ``GET /@requests`` with ``Accept:
text/csv``): the agents' queue as CSV, with the parameters of
``GET /@requests``."""

from illkirch.eservices.requests import queue
from illkirch.eservices.requests import queue_export
from illkirch.eservices.restapi.errors import field_errors
from plone.restapi.services import Service

import json


class ExportGet(Service):
    """The queue's list as CSV (same parameters as ``GET /@requests``)."""

    def render(self):
        self.check_permission()
        response = self.request.response
        response.setHeader("Cache-Control", "private, no-store")
        user = queue.current_user()
        services = queue.queue_services(user)  # once (#22)
        try:
            filters = queue.parse(self.request.form, services)
        except queue.QueueError as refused:
            response.setHeader("Content-Type", "application/json")
            return json.dumps(field_errors(self.request, refused.errors))
        brains = queue.search(filters, scope=queue.scope_of(services, user))
        # written as it is made, from the brains' metadata (#22)
        queue_export.write_csv(response, brains, queue_export.csv_filename())
        return ""
