"""The French catalog is complete, up to date with the code, and compiled."""

from illkirch.eservices.testing import INTEGRATION_TESTING
from pathlib import Path
from unittest import mock
from zope.i18n import translate

import contextlib
import gettext
import illkirch.eservices
import io
import re
import sys
import tempfile
import unittest


PACKAGE_DIR = Path(illkirch.eservices.__file__).parent
LOCALES = PACKAGE_DIR / "locales"
POT = LOCALES / "illkirch.eservices.pot"
PO = LOCALES / "fr" / "LC_MESSAGES" / "illkirch.eservices.po"


def read_catalog(path):
    """``{msgid: msgstr}`` of a .po/.pot file (continuation lines joined)."""
    entries = {}
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        parts = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgstr) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif key and re.match(r'^"(.*)"$', line):
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            entries[parts["msgid"]] = parts.get("msgstr", "")
    return entries


def unescape(text):
    """A .po string as the program sees it (escapes such as \\n, \\")."""
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


class TestCatalogs(unittest.TestCase):
    def test_every_msgid_is_translated_in_french(self):
        pot = read_catalog(POT)
        po = read_catalog(PO)
        self.assertTrue(pot)
        missing = sorted(set(pot) - set(po))
        self.assertEqual(missing, [], "msgids missing from the French .po")
        untranslated = sorted(m for m, s in po.items() if m in pot and not s)
        self.assertEqual(untranslated, [], "untranslated msgids")

    def test_pot_is_up_to_date_with_the_code(self):
        from i18ndude.script import main as i18ndude

        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "fresh.pot"
            argv = [
                "i18ndude",
                "rebuild-pot",
                "--pot",
                str(fresh),
                "--create",
                "illkirch.eservices",
                str(PACKAGE_DIR),
            ]
            with (
                mock.patch.object(sys, "argv", argv),
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                i18ndude()
            self.assertEqual(
                sorted(read_catalog(fresh)),
                sorted(read_catalog(POT)),
                "run scripts/i18n.sh: the .pot differs from the code",
            )

    def test_compiled_catalog_translates_the_po(self):
        """The .mo beside the .po gives every French text of the .po (what
        matters, also in an installed wheel whose files' dates mean nothing)."""
        mo = PO.with_suffix(".mo")
        self.assertTrue(mo.exists(), "run make install (compiles the catalogs)")
        with mo.open("rb") as catalog:
            french = gettext.GNUTranslations(catalog)
        stale = sorted(
            msgid
            for msgid, msgstr in read_catalog(PO).items()
            if msgstr and french.gettext(unescape(msgid)) != unescape(msgstr)
        )
        self.assertEqual(stale, [], "run make install: the .mo differs from the .po")


class TestTranslation(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_french_translation_used(self):
        from illkirch.eservices import _

        self.assertEqual(
            translate(
                _("link_back_to_summary", default="Back to summary"),
                target_language="fr",
            ),
            "Retour au sommaire",
        )


class TestWorkflowTranslations(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_states_and_transitions_in_french(self):
        """Plone translates workflow titles in its own "plone" domain."""
        workflow_tool = self.layer["portal"].portal_workflow
        for workflow_id in (
            "household_workflow",
            "household_folder_workflow",
            "request_workflow",
            "invoice_workflow",
            "payment_workflow",
            "regie_workflow",
        ):
            workflow = workflow_tool[workflow_id]
            titles = [workflow.title]
            titles += [s.title for s in workflow.states.objectValues()]
            titles += [t.title for t in workflow.transitions.objectValues()]
            for title in titles:
                self.assertNotEqual(
                    translate(title, domain="plone", target_language="fr"),
                    title,
                    f"no French for {title!r} in locales/fr/LC_MESSAGES/plone.po",
                )
