"""Changes a test makes to its site: mail kept in memory, rate limits
forgotten."""

from illkirch.eservices.limits import RATE_LIMITS_KEY
from plone import api
from Products.CMFPlone.tests.utils import MockMailHost
from Products.MailHost.interfaces import IMailHost
from zope.annotation.interfaces import IAnnotations

import transaction


def clear_rate_limits(portal):
    """Forget every rate-limit count of the site (committed), for tests that
    repeat anonymous actions on purpose."""
    transaction.begin()
    IAnnotations(portal).pop(RATE_LIMITS_KEY, None)
    transaction.commit()


def plain_text(message):
    """The plain-text part of an email (the portal's are multipart: plain
    text and HTML), with Python's line ends."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def use_mock_mailhost(portal):
    """Replace the site's MailHost by Plone's MockMailHost (integration
    tests read ``mailhost.messages``); return ``(mailhost, restore)``."""
    original = portal.MailHost
    mailhost = MockMailHost("MailHost")
    portal.MailHost = mailhost
    sm = portal.getSiteManager()
    sm.unregisterUtility(provided=IMailHost)
    sm.registerUtility(mailhost, provided=IMailHost)
    api.portal.set_registry_record("plone.smtp_host", "localhost")
    api.portal.set_registry_record(
        "plone.email_from_address", "ne-pas-repondre@illkirch.example"
    )

    def restore():
        portal.MailHost = original
        sm.unregisterUtility(provided=IMailHost)
        sm.registerUtility(original, provided=IMailHost)

    return mailhost, restore
