"""The URLs of the portal's REST resources that several endpoints link to."""

from plone import api


def services_url():
    return f"{api.portal.get().absolute_url()}/@services"


def attachments_url(request_obj):
    return f"{request_obj.absolute_url()}/@attachments"
