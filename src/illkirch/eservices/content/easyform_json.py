"""The JSON of an easyform form (a Service) for plone.restapi.

collective.easyform's serializer asks ``plone.api.user.has_permission`` with
the permission's *id* (``collective.easyform.DownloadSavedInput``) where
plone.api expects its *title*: for a Manager Zope grants an unknown
permission, for anyone else plone.api raises and the ``GET`` answered 500
with the list of every permission of the site. This serializer, registered
for the add-on's layer (more specific than easyform's), checks the
permission by its title; the rest is easyform's.
"""

from AccessControl import getSecurityManager
from collective.easyform.config import DOWNLOAD_SAVED_PERMISSION
from collective.easyform.interfaces import IEasyForm
from collective.easyform.serializer import SerializeToJson as EasyFormToJson
from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeToJson as DXContentToJson
from zope.component import adapter
from zope.component import queryUtility
from zope.interface import implementer
from zope.security.interfaces import IPermission


def may_download_saved_input(obj):
    permission = queryUtility(IPermission, name=DOWNLOAD_SAVED_PERMISSION)
    if permission is None:
        return False
    return bool(getSecurityManager().checkPermission(permission.title, obj))


@implementer(ISerializeToJson)
@adapter(IEasyForm, IIllkirchEservicesLayer)
class EasyFormSerializer(EasyFormToJson):
    def __call__(self, version=None, include_items=True):
        result = DXContentToJson.__call__(self, version, include_items)
        if may_download_saved_input(self.context):
            self.serializeSavedData(result)
        return result
