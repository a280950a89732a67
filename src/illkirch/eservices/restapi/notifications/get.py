"""``GET /@notifications``: the agent's choice of the daily digest and
their groups."""

from illkirch.eservices.restapi.notifications.resource import representation
from plone.restapi.services import Service


class NotificationsGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        return representation(self.request)
