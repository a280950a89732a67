"""Espace citoyen: the e-services portal of a town on Plone 6."""

from zope.i18nmessageid import MessageFactory


PACKAGE_NAME = "illkirch.eservices"

_ = MessageFactory(PACKAGE_NAME)
