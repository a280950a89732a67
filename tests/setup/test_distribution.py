"""The source distribution builds, holds what an integrator needs, and
installs with its compiled French catalog."""

from pathlib import Path

import gettext
import os
import subprocess
import sys
import tarfile
import tempfile
import unittest


ROOT = Path(__file__).resolve().parents[2]
NAME = "illkirch_eservices"


def run(*args, cwd=None):
    """Run a Python module with this interpreter and the current path (also
    under buildout's bin/test, whose eggs are on sys.path only)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def tracked_package_files():
    """The package's files as git knows them (code, templates, data)."""
    listed = subprocess.run(
        ["git", "ls-files", "src/illkirch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return listed.stdout.split()


@unittest.skipUnless(
    (ROOT / "setup.py").exists() and (ROOT / ".git").exists(),
    "needs the project's checkout",
)
class TestSourceDistribution(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="eservices-sdist-")
        cls.tmp = Path(cls._tmp.name)
        run(
            "build",
            "--sdist",
            "--no-isolation",
            "--outdir",
            str(cls.tmp / "dist"),
            str(ROOT),
        )
        (cls.sdist,) = (cls.tmp / "dist").glob(f"{NAME}-*.tar.gz")
        with tarfile.open(cls.sdist) as archive:
            top = cls.sdist.name[: -len(".tar.gz")]
            cls.members = {name[len(top) + 1 :] for name in archive.getnames()}

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_holds_texts_pins_docs_and_tests(self):
        for path in (
            "README.md",
            "CHANGES.rst",
            "constraints.txt",
            "versions.cfg",
            "docs/security.md",
            "docs/api.md",
            "docs/install.md",
            "tests/conftest.py",
            "tests/setup/test_distribution.py",
            "src/illkirch/eservices/configure.zcml",
            "src/illkirch/eservices/locales/fr/LC_MESSAGES/illkirch.eservices.po",
        ):
            self.assertIn(path, self.members)
        missing = set(tracked_package_files()) - self.members
        self.assertEqual(missing, set(), "files of the package left out of the sdist")
        self.assertFalse([m for m in self.members if m.endswith((".mo", ".pyc"))])

    def test_installs_with_compiled_catalog(self):
        """pip builds the wheel from the sdist (catalogs compiled on the way)
        and installs it; the installed catalog translates."""
        target = self.tmp / "site"
        run(
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(self.sdist),
        )
        installed = {
            str(path.relative_to(target))
            for path in target.rglob("*")
            if path.is_file()
        }
        missing = {path[len("src/") :] for path in tracked_package_files()} - installed
        self.assertEqual(missing, set(), "files of the package not installed")
        package = target / "illkirch" / "eservices"
        mo = package / "locales/fr/LC_MESSAGES/illkirch.eservices.mo"
        with mo.open("rb") as catalog:
            french = gettext.GNUTranslations(catalog)
        self.assertEqual(french.gettext("link_back_to_summary"), "Retour au sommaire")
        (dist_info,) = target.glob(f"{NAME}-*.dist-info")
        self.assertIn(
            "eservices-create-site", (dist_info / "entry_points.txt").read_text()
        )
