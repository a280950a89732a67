"""Emails to citizens: French, plain text and HTML, with the town's signature.

The one place the portal's emails are sent from. ``send`` composes the
message in the request (the site's language, also when sent outside a web
request: a command, the site's creation) and queues the task ``deliver``
with ``jobs.enqueue``: the background worker sends it once the transaction
that asked for it has committed, so nothing is sent for a change that is
rolled back, and a message is retried (with backoff) while the SMTP server
is down. Every message carries ``Auto-Submitted: auto-generated`` (RFC 3834:
no automatic replies to it) and a ``Message-ID`` of the portal's own domain,
the host of its public URL (``urls.public_url``), from which every link in
a message is built too.

Each message is ``multipart/alternative``: the plain text, and the same text
as accessible HTML (``lang`` of the site, the town's name as heading, one
column in ``role="presentation"`` tables, each link a clear button or link,
everything escaped).
"""

from email import encoders
from email import message_from_string
from email import policy
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from email.utils import make_msgid
from email.utils import parseaddr
from html import escape
from illkirch.eservices import _
from illkirch.eservices import jobs
from illkirch.eservices import urls
from plone import api
from urllib.parse import urlsplit
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message

import logging
import re


logger = logging.getLogger(__name__)

# MailHost's own line ends (CRLF), as SMTP wants them; headers left unfolded
# (zope.sendmail reads the Message-ID on one line)
SMTP_LINES = policy.compat32.clone(linesep="\r\n", max_line_length=998)

SIGNATURE = _(
    "mail_signature",
    default="${town}\n\nThis message was sent automatically: please do not "
    "reply to it.",
)
BUTTON = _("mail_button", default="Open the link")
# A link in a message's text: up to a space or a closing mark
LINK = re.compile(r"https?://[^\s<>»\"]+")
# The HTML part's colours: the town's palette (browser/static/theme.css),
# white on « bleu Ill » 10.4:1, text on white 16:1, muted text 7.6:1
PRIMARY = "#00466e"
TEXT = "#1b1f24"
MUTED = "#4a545e"
BACKGROUND = "#f2f5f8"
FONT = "Arial, Helvetica, sans-serif"
# A delivered message's key in the jobs' store (``jobs.put``/``jobs.get``)
DELIVERED = "mail.delivered:"


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


def _linked(text):
    """``text`` escaped, its links made links (``text`` itself as their
    text: the HTML shows the same words as the plain part)."""
    parts, last = [], 0
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        end = match.start() + len(url)
        parts.append(escape(text[last : match.start()]))
        parts.append(
            f'<a href="{escape(url)}" style="color:{PRIMARY};'
            f'text-decoration:underline;word-break:break-all;">{escape(url)}</a>'
        )
        last = end
    parts.append(escape(text[last:]))
    return "".join(parts)


def _button(url, label):
    """A link alone on its line: a large button (what a citizen is asked to
    do), its address under it for those who copy it."""
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" '
        'style="margin:8px 0;"><tr>'
        f'<td style="background:{PRIMARY};border-radius:4px;">'
        f'<a href="{escape(url)}" style="display:inline-block;padding:12px 24px;'
        f"font-family:{FONT};font-size:16px;font-weight:bold;color:#ffffff;"
        f'text-decoration:none;border-radius:4px;">{escape(label)}</a>'
        "</td></tr></table>"
        f'<p style="margin:0 0 16px;font-size:14px;color:{MUTED};">'
        f"{_linked(url)}</p>"
    )


def _paragraph(paragraph, button_label):
    """One paragraph of the text as HTML: its lines, a link alone on its
    line as a button."""
    html, lines = [], []

    def flush():
        if lines:
            html.append('<p style="margin:0 0 16px;">' + "<br>\n".join(lines) + "</p>")
            lines.clear()

    for line in paragraph.split("\n"):
        alone = LINK.fullmatch(line.strip())
        if alone:
            flush()
            html.append(_button(alone.group(0).rstrip(".,;:!?)"), button_label))
        elif line.startswith("    "):  # set apart: an identifier, a code
            lines.append(f"<strong>{_linked(line.strip())}</strong>")
        else:
            lines.append(_linked(line.strip()))
    flush()
    return "\n".join(html)


def html_body(subject, text, signature, language="fr", button_label="Ouvrir le lien"):
    """The HTML part: the town's name as heading, ``text`` paragraph by
    paragraph, the signature under a rule."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()]
    body = "\n".join(_paragraph(p, button_label) for p in paragraphs)
    footer = "<br>\n".join(_linked(line) for line in signature.strip().split("\n"))
    table = (
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'border="0" style="{}">'
    )
    return "\n".join(
        (
            "<!DOCTYPE html>",
            f'<html lang="{escape(language)}" dir="ltr">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(subject)}</title>",
            "</head>",
            f'<body style="margin:0;padding:0;background:{BACKGROUND};">',
            table.format(f"background:{BACKGROUND};"),
            '<tr><td align="center" style="padding:16px;">',
            table.format(
                f"max-width:600px;background:#ffffff;border-top:6px solid {PRIMARY};"
            ),
            f'<tr><td style="padding:24px;font-family:{FONT};font-size:16px;'
            f'line-height:1.5;color:{TEXT};">',
            '<h1 style="margin:0 0 24px;font-size:22px;line-height:1.3;'
            f'color:{PRIMARY};">{escape(town_name())}</h1>',
            body,
            '<hr style="border:0;border-top:1px solid #6b7580;margin:24px 0 16px;">',
            f'<p style="margin:0;font-size:14px;color:{MUTED};">{footer}</p>',
            "</td></tr>",
            "</table>",
            "</td></tr>",
            "</table>",
            "</body>",
            "</html>",
            "",
        )
    )


def compose(subject, body, request=None, attachments=()):
    """The message of ``send`` and its subject: ``body`` is a message, a
    text or a list of paragraphs (messages or texts), translated into the
    site's language; a plain text part and the same text in HTML.

    ``attachments``: ``(filename, content type, bytes)`` each; with any, the
    message is ``multipart/mixed``: the two texts, then the files."""
    request = request if request is not None else getRequest()
    if isinstance(body, (list, tuple)):
        body = "\n\n".join(_text(paragraph, request) for paragraph in body)
    text = _text(body, request)
    signature = _text(Message(SIGNATURE, mapping={"town": town_name()}), request)
    subject = _text(subject, request)
    language = (api.portal.get_default_language() or "fr").split("-")[0]
    message = MIMEMultipart("alternative", policy=SMTP_LINES)
    message.attach(
        MIMEText(f"{text}\n\n-- \n{signature}\n", "plain", "utf-8", policy=SMTP_LINES)
    )
    html = html_body(subject, text, signature, language, _text(BUTTON, request))
    message.attach(MIMEText(html, "html", "utf-8", policy=SMTP_LINES))
    if attachments:
        texts, message = message, MIMEMultipart("mixed", policy=SMTP_LINES)
        message.attach(texts)
        for filename, content_type, data in attachments:
            maintype, _slash, subtype = content_type.partition("/")
            part = MIMEBase(maintype, subtype or "octet-stream", policy=SMTP_LINES)
            part.set_payload(data)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=filename)
            message.attach(part)
    message["Auto-Submitted"] = "auto-generated"
    message["Message-ID"] = make_msgid(domain=portal_domain())
    return message, subject


def send(recipient, subject, body, request=None, attachments=()):
    """Send ``body`` (message, text or paragraphs) to ``recipient`` with the
    signature and the ``attachments`` (see ``compose``), once the
    transaction commits (by the worker, see ``deliver``)."""
    message, subject = compose(subject, body, request, attachments)
    jobs.enqueue(deliver, message.as_string(), recipient, subject)


def sender():
    """The site's sender (« Nom <adresse> »), as plone.api composes it."""
    address = api.portal.get_registry_record("plone.email_from_address")
    name = api.portal.get_registry_record("plone.email_from_name")
    composed = formataddr((name, address))
    return composed if parseaddr(composed)[1] == address else address


@jobs.task(retries=8, retry_delay=30)
def deliver(message, recipient, subject):
    """Send the composed ``message`` (a string, as ``compose`` made it) to
    ``recipient`` with ``subject``.

    In the worker it is sent at once through MailHost's SMTP settings; an
    SMTP failure raises, so the engine retries it with backoff. Idempotent:
    once the SMTP server has accepted the message, its Message-ID is kept
    as delivered in the jobs' store (``jobs.put``), and a retried or
    duplicated job finds it there and sends nothing. (Only a worker killed
    between the server's acceptance and that mark may send it twice; the
    same Message-ID then lets the recipient's server recognise it.)

    Outside the worker (the test layers' eager mode) MailHost sends it when
    the transaction commits, as the portal always did.
    """
    # parsed back with the SMTP policy: MailHost keeps its headers unfolded
    message = message_from_string(message, policy=SMTP_LINES)
    if not jobs.in_worker():
        api.portal.send_email(
            recipient=recipient, subject=subject, body=message, immediate=False
        )
        return
    message_id = (message["Message-ID"] or "").strip()
    key = DELIVERED + message_id if message_id else None
    if key and jobs.get(key):
        logger.info("Email %s already delivered: not sent again", message_id)
        return
    api.portal.get_tool("MailHost").send(
        message,
        mto=recipient,
        mfrom=sender(),
        subject=subject,
        charset=api.portal.get_registry_record("plone.email_charset", default="utf-8"),
        immediate=True,
    )
    if key:
        jobs.put(key, True)


def user_email(userid):
    """The email address of the user ``userid`` (None for no such user).

    PAS directly: ``api.user.get`` wraps the user as member data, about
    five times slower, for the same property (the agents' request page
    asks for the citizen's address on every view)."""
    if not userid:
        return None
    user = api.portal.get_tool("acl_users").getUserById(userid)
    return user.getProperty("email", "") if user is not None else None
