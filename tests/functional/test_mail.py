"""The site's mail goes out over SMTP to the sink, kept as .eml files."""

from illkirch.eservices.testing import FUNCTIONAL_TESTING
from plone import api

import transaction
import unittest


class TestMailSink(unittest.TestCase):
    layer = FUNCTIONAL_TESTING

    def test_mail_sent_by_plone_is_kept_as_eml(self):
        sink = self.layer["mailsink"]
        api.portal.send_email(
            recipient="amelie.lire@example.org",
            subject="Votre demande 2026-000001",
            body="Bonjour,\n\nVotre demande a été enregistrée.",
            immediate=True,
        )
        transaction.commit()
        messages = sink.messages()
        self.assertEqual(len(messages), 1)
        message = messages[0]
        self.assertEqual(message["To"], "amelie.lire@example.org")
        self.assertEqual(message["Subject"], "Votre demande 2026-000001")
        self.assertIn("ne-pas-repondre@illkirch.example", message["From"])
        self.assertIn("a été enregistrée", message.get_body(("plain",)).get_content())
        self.assertEqual(len(list(sink.directory.glob("*.eml"))), 1)
