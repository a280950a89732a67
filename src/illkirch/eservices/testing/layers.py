"""Test layers of the add-on.

- ``INTEGRATION_TESTING``: a French Plone site with the add-on, in process.
- ``FUNCTIONAL_TESTING``: the same served over HTTP by a WSGI server, with a
  real SMTP sink (``MailSink``) receiving the site's mail.
- ``DEMO_FUNCTIONAL_TESTING``: the functional layer plus the demo profile
  (FAQ, demo accounts): what the browser tests drive.
- ``FRANCECONNECT_FUNCTIONAL_TESTING``: the demo's functional layer plus the
  local OpenID Connect provider shaped as FranceConnect (``oidc/``, a real
  Node.js process, ``OidcProviderLayer``), the site's FranceConnect
  settings pointing at it (a frontend's addresses allowed too).
"""

from illkirch.eservices.cli.mailsink import MailSink
from illkirch.eservices.cli.processes import OIDC_CLIENT_ID
from illkirch.eservices.cli.processes import OIDC_CLIENT_SECRET
from illkirch.eservices.cli.processes import OidcProviderProcess
from illkirch.eservices.cli.processes import free_port
from illkirch.eservices.testing.clamd import CLAMD_FIXTURE
from plone.app.contenttypes.testing import PLONE_APP_CONTENTTYPES_FIXTURE
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import applyProfile
from plone.testing import Layer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import tempfile


def configure_french_site(portal):
    from plone import api

    api.portal.set_registry_record("plone.default_language", "fr")
    api.portal.set_registry_record("plone.available_languages", ["fr"])
    portal.setLanguage("fr")


class IllkirchEservicesLayer(PloneSandboxLayer):
    defaultBases = (PLONE_APP_CONTENTTYPES_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        # The tests' mode of the jobs: run at once in the asking transaction
        # (tests/jobs/ switch to a real queue and worker where they need them).
        from illkirch.eservices.jobs import registry

        registry.EAGER = True
        import plone.restapi

        self.loadZCML(package=plone.restapi)
        import illkirch.eservices

        self.loadZCML(package=illkirch.eservices)
        import illkirch.eservices.testing

        self.loadZCML(package=illkirch.eservices.testing)

    def setUpPloneSite(self, portal):
        configure_french_site(portal)
        applyProfile(portal, "illkirch.eservices:default")
        # no antivirus but in its own layer (a clamd of this machine on
        # Debian's socket would otherwise be used by the install)
        portal.portal_registry["illkirch.eservices.antivirus.address"] = ""
        # links in emails: the site's own address in tests ("http://nohost/plone"),
        # the test server's in the functional layers (ServedSiteTesting)
        portal.portal_registry["illkirch.eservices.public_url"] = portal.absolute_url()


FIXTURE = IllkirchEservicesLayer()


class DemoLayer(PloneSandboxLayer):
    """The add-on plus its demo content and accounts."""

    defaultBases = (FIXTURE,)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "illkirch.eservices:demo")


DEMO_FIXTURE = DemoLayer()


class MailSinkLayer(Layer):
    """A real SMTP server on a free port; ``self['mailsink']`` reads what it got.

    The functional layers point the site's MailHost at it.
    """

    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="eservices-mail-")
        self["mailsink"] = MailSink(self._dir.name, port=free_port()).start()

    def tearDown(self):
        self["mailsink"].stop()
        del self["mailsink"]
        self._dir.cleanup()

    def testSetUp(self):
        self["mailsink"].clear()


MAILSINK_FIXTURE = MailSinkLayer()


class SiteMailLayer(PloneSandboxLayer):
    """Sends the site's mail to the SMTP sink."""

    defaultBases = (MAILSINK_FIXTURE,)

    def setUpPloneSite(self, portal):
        from plone import api

        sink = self["mailsink"]
        api.portal.set_registry_record("plone.smtp_host", sink.host)
        api.portal.set_registry_record("plone.smtp_port", sink.port)
        api.portal.set_registry_record(
            "plone.email_from_address", "ne-pas-repondre@illkirch.example"
        )
        api.portal.set_registry_record(
            "plone.email_from_name", "Ville d'Illkirch-Graffenstaden"
        )


class FunctionalSiteMailLayer(SiteMailLayer):
    defaultBases = (FIXTURE, MAILSINK_FIXTURE)


class DemoSiteMailLayer(SiteMailLayer):
    defaultBases = (DEMO_FIXTURE, MAILSINK_FIXTURE)


FUNCTIONAL_MAIL_FIXTURE = FunctionalSiteMailLayer()
DEMO_MAIL_FIXTURE = DemoSiteMailLayer()


class ServedSiteTesting(FunctionalTesting):
    """A functional layer whose site's public URL is the test server's real
    address (known once the WSGI server has started), so that the links the
    site emails lead to the site under test."""

    def testSetUp(self):
        super().testSetUp()
        import transaction

        portal = self["portal"]
        portal.portal_registry["illkirch.eservices.public_url"] = portal.absolute_url()
        transaction.commit()


class SiteUrlIntegrationTesting(IntegrationTesting):
    """An integration layer whose site's public URL is the address its test
    request gives the site (links in emails compared with absolute_url())."""

    def testSetUp(self):
        super().testSetUp()
        portal = self["portal"]
        portal.portal_registry["illkirch.eservices.public_url"] = portal.absolute_url()


INTEGRATION_TESTING = SiteUrlIntegrationTesting(
    bases=(FIXTURE,), name="IllkirchEservices:Integration"
)
FUNCTIONAL_TESTING = ServedSiteTesting(
    bases=(FUNCTIONAL_MAIL_FIXTURE, WSGI_SERVER_FIXTURE),
    name="IllkirchEservices:Functional",
)
DEMO_INTEGRATION_TESTING = SiteUrlIntegrationTesting(
    bases=(DEMO_FIXTURE,), name="IllkirchEservices:DemoIntegration"
)
DEMO_FUNCTIONAL_TESTING = ServedSiteTesting(
    bases=(DEMO_MAIL_FIXTURE, WSGI_SERVER_FIXTURE),
    name="IllkirchEservices:DemoFunctional",
)


# A Volto or mobile client's own addresses (never served: the tests stop at
# the provider's redirect to them), registered with the provider and allowed
# in the test site's FranceConnect settings.
FRONTEND_REDIRECT_URI = "http://frontend.test/franceconnect/callback"
FRONTEND_POST_LOGOUT_URI = "http://frontend.test/logged-out"


class OidcProviderLayer(Layer):
    """The local FranceConnect (``node oidc/server.js``) on a free port, its
    client allowed back to the test server's callback and to a frontend's
    (``FRONTEND_REDIRECT_URI``, ``FRONTEND_POST_LOGOUT_URI``); ``self['oidc']``
    (``OidcProviderProcess``: ``issuer``, ``port``). Started after the WSGI
    server, whose address the callback needs; stopped with the layer."""

    defaultBases = (WSGI_SERVER_FIXTURE,)

    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="eservices-oidc-")
        site = f"http://{self['host']}:{self['port']}/plone"
        self["oidc"] = OidcProviderProcess(
            redirect_uris=[f"{site}/franceconnect-callback", FRONTEND_REDIRECT_URI],
            post_logout_uris=[site, FRONTEND_POST_LOGOUT_URI],
            log=f"{self._dir.name}/oidc.log",
            test_switches=True,
        ).start()

    def tearDown(self):
        self["oidc"].stop()
        del self["oidc"]
        self._dir.cleanup()


OIDC_PROVIDER_FIXTURE = OidcProviderLayer()


class FranceConnectTesting(ServedSiteTesting):
    """The demo site served, FranceConnect enabled against the local
    provider."""

    def testSetUp(self):
        super().testSetUp()
        from plone import api

        import transaction

        prefix = "illkirch.eservices.franceconnect"
        api.portal.set_registry_record(f"{prefix}.issuer", self["oidc"].issuer)
        api.portal.set_registry_record(f"{prefix}.client_id", OIDC_CLIENT_ID)
        api.portal.set_registry_record(f"{prefix}.client_secret", OIDC_CLIENT_SECRET)
        api.portal.set_registry_record(f"{prefix}.enabled", True)
        api.portal.set_registry_record(
            f"{prefix}.frontend_redirect_uris", [FRONTEND_REDIRECT_URI]
        )
        api.portal.set_registry_record(
            f"{prefix}.frontend_post_logout_uris", [FRONTEND_POST_LOGOUT_URI]
        )
        transaction.commit()


FRANCECONNECT_FUNCTIONAL_TESTING = FranceConnectTesting(
    bases=(DEMO_MAIL_FIXTURE, OIDC_PROVIDER_FIXTURE),
    name="IllkirchEservices:FranceConnectFunctional",
)


class AntivirusTesting(ServedSiteTesting):
    """The demo site served, its uploads scanned by a real ``clamd`` (the
    project's one-signature database, ``testing/clamd.py``) over its Unix
    socket: the antivirus active (#21)."""

    def testSetUp(self):
        super().testSetUp()
        from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
        from plone import api

        import transaction

        api.portal.set_registry_record(
            f"{ANTIVIRUS_PREFIX}.address", f"unix://{self['clamd'].socket}"
        )
        api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.enabled", True)
        transaction.commit()


ANTIVIRUS_FUNCTIONAL_TESTING = AntivirusTesting(
    bases=(DEMO_MAIL_FIXTURE, CLAMD_FIXTURE, WSGI_SERVER_FIXTURE),
    name="IllkirchEservices:AntivirusFunctional",
)
