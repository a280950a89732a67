"""Emails to citizens: French, plain text, with the town's signature.

The one place the portal's emails are sent from. Messages are sent through
Plone's MailHost when the transaction commits, so nothing is sent for a
change that is rolled back. Every message is in the site's language (also
when sent outside a web request: a command, the site's creation), carries
``Auto-Submitted: auto-generated`` (RFC 3834: no automatic replies to it)
and a ``Message-ID`` of the portal's own domain, the host of its public URL
(``urls.public_url``), from which every link in a message is built too.
"""

from email import policy
from email.mime.text import MIMEText
from email.utils import make_msgid
from illkirch.eservices import _
from illkirch.eservices import urls
from plone import api
from urllib.parse import urlsplit
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message


# MailHost's own line ends (CRLF), as SMTP wants them; headers left unfolded
# (zope.sendmail reads the Message-ID on one line)
SMTP_LINES = policy.compat32.clone(linesep="\r\n", max_line_length=998)

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
    return translate(
        message, context=request, target_language=api.portal.get_default_language()
    )


def town_name():
    return api.portal.get_registry_record(
        "illkirch.eservices.town_name", default="Ville d'Illkirch-Graffenstaden"
    )


def portal_domain():
    """The host name of the portal's public URL (its emails' Message-IDs)."""
    return urlsplit(urls.public_base()).hostname or "localhost"


def compose(subject, body, request=None):
    """The message of ``send``: ``body`` is a message, a text or a list of
    paragraphs (messages or texts), translated into the site's language."""
    request = request if request is not None else getRequest()
    if isinstance(body, (list, tuple)):
        body = "\n\n".join(_text(paragraph, request) for paragraph in body)
    signature = _text(Message(SIGNATURE, mapping={"town": town_name()}), request)
    message = MIMEText(
        f"{_text(body, request)}\n\n-- \n{signature}\n",
        "plain",
        "utf-8",
        policy=SMTP_LINES,
    )
    message["Auto-Submitted"] = "auto-generated"
    message["Message-ID"] = make_msgid(domain=portal_domain())
    return message, _text(subject, request)


def send(recipient, subject, body, request=None):
    """Send ``body`` (message, text or paragraphs) to ``recipient`` with the
    signature, when the transaction commits."""
    message, subject = compose(subject, body, request)
    api.portal.send_email(
        recipient=recipient,
        subject=subject,
        body=message,
        immediate=False,
    )


def user_email(userid):
    user = api.user.get(userid=userid)
    return user.getProperty("email") if user is not None else None
