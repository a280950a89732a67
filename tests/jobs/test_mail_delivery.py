"""Every email goes through the task ``mail.deliver`` (#16, item 1).

The messages are read as the SMTP sink received them and parsed with the
``email`` package: ``multipart/alternative`` with the plain text and the
same text in accessible HTML, links from the portal's public URL,
``Auto-Submitted`` and the portal's Message-ID. The worker's side of
``deliver`` (``jobs.in_worker()``) sends at once over real SMTP, raises when
the server is down (the engine retries) and never sends a message twice.
"""

from email import message_from_bytes
from email import policy
from html.parser import HTMLParser
from illkirch.eservices import jobs
from illkirch.eservices import mail
from illkirch.eservices.cli.mailsink import MailSink
from illkirch.eservices.cli.processes import free_port
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing.sessions import JSON_HEADERS
from plone import api
from unittest import mock

import re
import requests
import tempfile
import transaction
import unittest


PUBLIC = "https://eservices.illkirch.example/Plone"
LINK = re.compile(r"https?://[^\s<>»\"]+")


class HtmlText(HTMLParser):
    """The text, links, tables and heading of an HTML part."""

    def __init__(self, html):
        super().__init__()
        self.texts, self.hrefs, self.tables, self.headings = [], [], [], []
        self.in_title = self.in_heading = False
        self.language = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.language = attrs.get("lang")
        elif tag == "a":
            self.hrefs.append(attrs["href"])
        elif tag == "table":
            self.tables.append(attrs.get("role"))
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.in_heading = True

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_heading = False

    def handle_data(self, data):
        if self.in_heading:
            self.headings.append(data.strip())
        elif not self.in_title:
            self.texts.append(data)

    @property
    def text(self):
        return " ".join(" ".join(self.texts).split())


def parts(message):
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    return plain.get_content(), html.get_content()


class TestEveryEmailHasAnHtmlPart(unittest.TestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.sink = self.layer["mailsink"]
        api.portal.set_registry_record("illkirch.eservices.public_url", PUBLIC)
        transaction.commit()

    def emails(self):
        return [
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.sink.directory.glob("*.eml"))
        ]

    def test_reset_email_plain_and_html_say_the_same(self):
        response = requests.post(
            f"{self.portal.absolute_url()}/@password-reset",
            json={"login": "amelie.lire"},
            headers=JSON_HEADERS,
        )
        self.assertEqual(response.status_code, 202, response.text)
        [message] = self.emails()
        self.assertEqual(message.get_content_type(), "multipart/alternative")
        self.assertEqual(
            [part.get_content_type() for part in message.iter_parts()],
            ["text/plain", "text/html"],
        )
        self.assertEqual(message["Auto-Submitted"], "auto-generated")
        self.assertRegex(
            message["Message-ID"], r"^<[^@<>]+@eservices\.illkirch\.example>$"
        )
        self.assertEqual(message["To"], "amelie.lire@example.org")
        self.assertEqual(message["Subject"], "Choisissez un nouveau mot de passe")
        plain, html = parts(message)
        page = HtmlText(html)
        self.assertEqual(page.language, "fr")
        self.assertEqual(page.headings, ["Ville d'Illkirch-Graffenstaden"])
        self.assertTrue(page.tables)
        self.assertEqual(set(page.tables), {"presentation"})
        # the same text: every line of the plain part is in the HTML's text
        for line in plain.splitlines():
            line = " ".join(line.split())
            if line and line != "--":
                self.assertIn(line, page.text)
        # the same links, from the public URL; the link alone on its line is
        # a button « Ouvrir le lien »
        [link] = LINK.findall(plain)
        self.assertTrue(link.startswith(f"{PUBLIC}/@@nouveau-mot-de-passe?token="))
        self.assertEqual(set(page.hrefs), {link})
        self.assertIn("Ouvrir le lien", page.text)

    def test_html_part_escapes_what_it_shows(self):
        transaction.begin()
        mail.send(
            "amelie.lire@example.org",
            "Un essai",
            [
                "Bonjour <script>alert(1)</script> & « Dupont & fils »,",
                f"Votre demande : {PUBLIC}/demandes/2026-000001?a=1&b=2",
            ],
        )
        transaction.commit()
        [message] = self.emails()
        plain, html = parts(message)
        self.assertNotIn("<script", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; « Dupont", html)
        self.assertIn(f'href="{PUBLIC}/demandes/2026-000001?a=1&amp;b=2"', html)
        page = HtmlText(html)
        self.assertIn("Bonjour <script>alert(1)</script> & « Dupont & fils »,", plain)
        self.assertIn(
            "Bonjour <script>alert(1)</script> & « Dupont & fils »,", page.text
        )
        self.assertEqual(page.hrefs, [f"{PUBLIC}/demandes/2026-000001?a=1&b=2"])

    def test_attachments_follow_the_two_texts(self):
        pdf = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
        transaction.begin()
        mail.send(
            "amelie.lire@example.org",
            "Votre récépissé",
            "Vous trouverez le récépissé en pièce jointe.",
            attachments=[("recepisse-2026-000001.pdf", "application/pdf", pdf)],
        )
        transaction.commit()
        [message] = self.emails()
        self.assertEqual(message.get_content_type(), "multipart/mixed")
        plain, html = parts(message)
        self.assertIn("récépissé en pièce jointe", plain)
        self.assertIn("récépissé en pièce jointe", HtmlText(html).text)
        [attachment] = list(message.iter_attachments())
        self.assertEqual(attachment.get_filename(), "recepisse-2026-000001.pdf")
        self.assertEqual(attachment.get_content_type(), "application/pdf")
        self.assertEqual(attachment.get_content(), pdf)
        self.assertEqual(message["Auto-Submitted"], "auto-generated")

    def test_nothing_sent_when_the_transaction_aborts(self):
        transaction.begin()
        mail.send("amelie.lire@example.org", "Un essai", "Jamais envoyé.")
        transaction.abort()
        self.assertEqual(self.emails(), [])


class TestDeliverInTheWorker(unittest.TestCase):
    """``deliver`` as the worker runs it: at once, over SMTP."""

    layer = FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self._dir = tempfile.TemporaryDirectory(prefix="eservices-mail-")
        self.port = free_port()
        self.sink = MailSink(self._dir.name, port=self.port).start()
        self.addCleanup(self._dir.cleanup)
        self.sink_running = True
        self.addCleanup(self.stop_sink)
        api.portal.set_registry_record("plone.smtp_port", self.port)
        self.addCleanup(
            api.portal.set_registry_record,
            "plone.smtp_port",
            self.layer["mailsink"].port,
        )
        worker = mock.patch.object(jobs, "in_worker", return_value=True)
        worker.start()
        self.addCleanup(worker.stop)

    def stop_sink(self):
        if self.sink_running:
            self.sink.stop()
            self.sink_running = False

    def composed(self):
        message, subject = mail.compose("Votre demande", "Bonjour,\n\nC'est reçu.")
        return message.as_string(), "amelie.lire@example.org", subject

    def test_sent_at_once_and_never_twice(self):
        arguments = self.composed()
        mail.deliver(*arguments)  # no commit: sent at once
        [message] = self.sink.messages()
        self.assertEqual(message["To"], "amelie.lire@example.org")
        self.assertEqual(message["Subject"], "Votre demande")
        self.assertIn("ne-pas-repondre@illkirch.example", message["From"])
        self.assertIn("C'est reçu.", message.get_body(("plain",)).get_content())
        mail.deliver(*arguments)  # the same job again (a retry, a duplicate)
        self.assertEqual(len(self.sink.messages()), 1)

    def test_smtp_server_down_raises_then_delivered_once_it_is_back(self):
        arguments = self.composed()
        self.stop_sink()
        with self.assertRaises(OSError):  # the engine retries the job
            mail.deliver(*arguments)
        self.sink = MailSink(self._dir.name, port=self.port).start()
        self.sink_running = True
        mail.deliver(*arguments)
        mail.deliver(*arguments)
        self.assertEqual(len(self.sink.messages()), 1)
