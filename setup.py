"""Installer for the illkirch.eservices package."""

from pathlib import Path
from setuptools import Command
from setuptools import find_namespace_packages
from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.develop import develop


HERE = Path(__file__).parent
LOCALES = HERE / "src" / "illkirch" / "eservices" / "locales"


def compile_catalogs():
    """Compile every ``locales/<lang>/LC_MESSAGES/*.po`` into its ``.mo``."""
    from pythongettext.msgfmt import Msgfmt

    for po in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        with po.open("rb") as source:
            mo.write_bytes(Msgfmt(source, name=str(po)).get())
        print(f"compiled {po.relative_to(HERE)}")


class CompileCatalogs(Command):
    description = "compile the gettext message catalogs (.po -> .mo)"
    user_options = []

    def initialize_options(self):
        pass

    def finalize_options(self):
        pass

    def run(self):
        compile_catalogs()


class BuildPy(build_py):
    def run(self):
        compile_catalogs()
        super().run()


class Develop(develop):
    def run(self):
        compile_catalogs()
        super().run()


long_description = "\n\n".join(
    [
        (HERE / "README.md").read_text(encoding="utf-8"),
        (HERE / "CHANGES.rst").read_text(encoding="utf-8"),
    ]
)

setup(
    name="illkirch.eservices",
    version="1.0.0a1",
    description="Espace citoyen: the e-services portal of a town on Plone 6",
    long_description=long_description,
    long_description_content_type="text/markdown",
    classifiers=[
        "Environment :: Web Environment",
        "Framework :: Plone",
        "Framework :: Plone :: 6.2",
        "Framework :: Plone :: Addon",
        "Programming Language :: Python",
        "Programming Language :: Python :: 3.11",
        "Operating System :: OS Independent",
        "Natural Language :: French",
    ],
    keywords="Python Plone CMS e-services citizen portal",
    author="illkirch.eservices developers",
    license="GPL-2.0-or-later",
    packages=find_namespace_packages("src", include=["illkirch.*"]),
    package_dir={"": "src"},
    include_package_data=True,
    package_data={
        "": [
            "*.zcml",
            "*.pt",
            "*.xml",
            "*.json",
            "*.po",
            "*.pot",
            "*.mo",
            "*.css",
            "*.js",
            "*.txt",
            "*.in",
            "*.wav",
            "*.json.gz",
            "*.csv",
            "*.ndb",
        ]
    },
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=[
        "setuptools",
        "Products.CMFPlone>=6.2,<6.3",
        "plone.api",
        "plone.app.dexterity",
        "plone.app.registry",
        "plone.restapi",
        "plone.classicui",
        "plone.distribution",
        "plonetheme.barceloneta",
        "aiosmtpd",
        "captcha",
        "numpy",  # the audio captcha's rendering (accounts/captcha_audio.py)
        "collective.easyform",
        "holidays",
        "tqdm",
        "eopayment",
        # Background jobs (jobs/, docs/architecture.md): huey's queue, embedded
        # (SQLite) or on Redis; ZEO shares the FileStorage with the worker.
        "huey",
        "redis",
        "ZEO",
        # Official documents (#18, docs/documents.md): tagged PDF/UA from HTML
        # templates, and the QR code of their verification URL.
        "weasyprint",
        "segno",
        # Statistics (#19, docs/statistics.md): the figures as an
        # OpenDocument spreadsheet (ODS).
        "odfpy",
        # Login with FranceConnect (#20, docs/franceconnect.md): the OpenID
        # Connect plugin of Plone's PAS and its client (pyoidc).
        "pas.plugins.oidc",
        # Antivirus (#21, docs/deployment.md): uploads scanned by ClamAV's
        # daemon (clamd) over its socket, INSTREAM.
        "clamav-client",
        # The request page's conversation rendered by Chameleon alone
        # (browser/conversation.py, #22): Plone's own template engine.
        "Chameleon",
        # The catalog's projections kept with its metadata records
        # (catalog_rows.py, #22): ZCatalog's Catalog patched through ZCML.
        "collective.monkeypatcher",
    ],
    extras_require={
        "test": [
            "plone.app.testing",
            "pytest",
            "pytest-plone",
            "pytest-timeout",
            "zope.testrunner",
            "requests",
            "playwright",
            "axe-playwright-python",
            "i18ndude",
            "hypothesis",
            "time-machine",  # frozen clocks for the periodic tasks' tests
            "Pillow",
            # #18: the tests read the PDFs (text, tags, fonts) and decode the
            # QR code with a library, not with our own assumptions.
            "pypdf",
            "zxing-cpp",
            "build",
            # make lint: the style gate and the layers contract (docs/architecture.md).
            "ruff",
            "import-linter",
        ],
        # ZODB_BACKEND=relstorage (docs/deployment.md): several instances on
        # one PostgreSQL database.
        "relstorage": [
            "RelStorage",
            "psycopg2-binary",
        ],
        # benchmarks/ (docs/performance.md): the chart and the profiler.
        "bench": [
            "matplotlib",
            "pyinstrument",
        ],
    },
    entry_points={
        "z3c.autoinclude.plugin": ["target = plone"],
        "console_scripts": [
            "eservices-mailsink = illkirch.eservices.cli.mailsink:main",
            "eservices-create-site = illkirch.eservices.cli.site:main",
            "eservices-import-invoices = illkirch.eservices.cli.import_invoices:main",
            "eservices-check-payments = illkirch.eservices.cli.check_payments:main",
            "eservices-statistics-rebuild = illkirch.eservices.cli.statistics:main",
            "eservices-worker = illkirch.eservices.cli.worker:main",
        ],
    },
    cmdclass={
        "build_py": BuildPy,
        "develop": Develop,
        "compile_catalogs": CompileCatalogs,
    },
)
