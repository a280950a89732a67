"""Espace citoyen: the e-services portal of a town on Plone 6."""

from illkirch.eservices import namespaces
from zope.i18nmessageid import MessageFactory


# pas.plugins.oidc's namespace packages, before anything imports them
namespaces.declare_all()

PACKAGE_NAME = "illkirch.eservices"

_ = MessageFactory(PACKAGE_NAME)
