"""Emails to citizens: French, plain text, with the town's signature.

Messages are sent through Plone's MailHost when the transaction commits, so
nothing is sent for a change that is rolled back.
"""

from illkirch.eservices import _
from plone import api
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message


SIGNATURE = _(
    "mail_signature",
    default="${town}\n\nThis message was sent automatically: please do not "
    "reply to it.",
)


def _text(message, request):
    """Emails are in the site's language, also when sent outside a web
    request (scripts, the demo site's creation)."""
    if not message:
        return ""
    return translate(message, context=request,
                     target_language=api.portal.get_default_language())


def town_name():
    return api.portal.get_registry_record(
        "illkirch.eservices.town_name", default="Ville d'Illkirch-Graffenstaden"
    )


def send(recipient, subject, body, request=None):
    """Send ``body`` (message or text) to ``recipient`` with the signature."""
    request = request if request is not None else getRequest()
    signature = _text(Message(SIGNATURE, mapping={"town": town_name()}), request)
    text = f"{_text(body, request)}\n\n-- \n{signature}\n"
    api.portal.send_email(
        recipient=recipient,
        subject=_text(subject, request),
        body=text,
        immediate=False,
    )


def user_email(userid):
    user = api.user.get(userid=userid)
    return user.getProperty("email") if user is not None else None
