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
        data = queue_export.csv_export(brains)
        set_csv_headers(response, queue_export.csv_filename())
        return data


def set_csv_headers(response, filename):
    response.setHeader("Content-Type", "text/csv; charset=utf-8")
    response.setHeader("Content-Disposition", f'attachment; filename="{filename}"')
    response.setHeader("X-Content-Type-Options", "nosniff")
    response.setHeader("Cache-Control", "private, no-store")
