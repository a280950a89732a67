"""What ``GET`` and ``PATCH /@notifications`` share: the agent's
notifications as ``{"@id", "digest", "groups"}``."""

from illkirch.eservices.requests import digest
from plone import api


def representation(request):
    user = api.user.get_current()
    return {
        "@id": f"{api.portal.get().absolute_url()}/@notifications",
        "digest": digest.wants(user.getId()),
        "groups": [
            {"id": group_id, "title": title}
            for group_id, title in digest.agent_groups(user)
        ],
    }
