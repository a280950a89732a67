"""Rendering a message (conversation.messages.to_html): everything escaped,
http(s) addresses made links, nothing else; injections stay text."""

from illkirch.eservices.conversation import messages

import unittest


class TestToHtml(unittest.TestCase):
    def test_text_is_escaped_links_made(self):
        self.assertEqual(
            messages.to_html("Voir https://illkirch.eu/a?b=1&c=2.\nMerci <b>"),
            'Voir <a href="https://illkirch.eu/a?b=1&amp;c=2" '
            'rel="noopener noreferrer nofollow">https://illkirch.eu/a?b=1&amp;c=2</a>.'
            "<br>\nMerci &lt;b&gt;",
        )

    def test_injections_stay_text(self):
        for attack in (
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">',
            "javascript:alert(1)",
            "<a href='javascript:alert(1)'>clic</a>",
            "data:text/html,<script>alert(1)</script>",
        ):
            rendered = messages.to_html(attack)
            self.assertNotIn("<script", rendered)
            self.assertNotIn("<img", rendered)
            self.assertNotIn("<a ", rendered)
        self.assertEqual(messages.to_html("javascript:alert(1)"), "javascript:alert(1)")

    def test_quotes_end_a_url(self):
        rendered = messages.to_html('http://x.org/"onmouseover="alert(1)')
        self.assertEqual(
            rendered,
            '<a href="http://x.org/" rel="noopener noreferrer nofollow">'
            "http://x.org/</a>&quot;onmouseover=&quot;alert(1)",
        )
        rendered = messages.to_html("https://x.org/'><script>x</script>")
        self.assertTrue(rendered.startswith('<a href="https://x.org/" '))
        self.assertIn("&#x27;&gt;&lt;script&gt;", rendered)

    def test_links_only_http(self):
        self.assertEqual(
            messages.to_html("JAVASCRIPT://evil ftp://a.b HTTPS://A.B"),
            'JAVASCRIPT://evil ftp://a.b <a href="HTTPS://A.B" '
            'rel="noopener noreferrer nofollow">HTTPS://A.B</a>',
        )
        self.assertEqual(messages.to_html("https:// rien"), "https:// rien")
