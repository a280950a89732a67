"""Create the demo town site when the database has none yet.

    eservices-create-site -c instance/etc/zope.conf \
        --public-url http://localhost:8080/Plone

Idempotent: when the site exists, nothing is changed, so that re-running
``make start`` keeps what was done in the site in between (its public URL
included: change it in Configuration du site → Espace citoyen) — except
the antivirus (#21): ``--clamd-address`` (make start's local ``clamd``) is
given to a site whose antivirus has no daemon address yet, new or not.
"""

from AccessControl.SecurityManagement import newSecurityManager
from illkirch.eservices.cli.zope_app import zope_app
from zope.component.hooks import setSite

import argparse
import sys
import transaction


SITE_ID = "Plone"
DEFAULT_PUBLIC_URL = f"http://localhost:8080/{SITE_ID}"
ANSWERS = {
    "site_id": SITE_ID,
    "title": "Espace citoyen — Ville d'Illkirch-Graffenstaden",
    "description": "Les démarches en ligne de la ville d'Illkirch-Graffenstaden.",
    "default_language": "fr",
    "portal_timezone": "Europe/Paris",
    "setup_content": False,
}


def ensure_admin(app, login, password):
    """The Zope-level administrator (Manager everywhere)."""
    if app.acl_users.getUser(login) is None:
        app.acl_users.userFolderAddUser(login, password, ["Manager"], [])
        return True
    return False


def configure_mail(site, smtp_host, smtp_port):
    from plone import api

    api.portal.set_registry_record("plone.smtp_host", smtp_host)
    api.portal.set_registry_record("plone.smtp_port", smtp_port)
    api.portal.set_registry_record(
        "plone.email_from_address", "ne-pas-repondre@illkirch.example"
    )
    api.portal.set_registry_record(
        "plone.email_from_name", "Ville d'Illkirch-Graffenstaden"
    )


def configure_antivirus(clamd_address):
    """The site's uploads scanned by the daemon at ``clamd_address`` (make
    start's ``clamd``), unless its antivirus has a daemon address already
    (the administrator's, kept); the settings' records registered when the
    site predates them. Returns whether the address was set."""
    from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
    from illkirch.eservices.interfaces import IAntivirusSettings
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    if f"{ANTIVIRUS_PREFIX}.address" not in registry.records:
        registry.registerInterface(IAntivirusSettings, prefix=ANTIVIRUS_PREFIX)
    if (registry[f"{ANTIVIRUS_PREFIX}.address"] or "").strip():
        return False
    registry[f"{ANTIVIRUS_PREFIX}.address"] = clamd_address
    return True


def create_demo_site(
    app,
    smtp_host="127.0.0.1",
    smtp_port=8025,
    public_url=DEFAULT_PUBLIC_URL,
    oidc_issuer=None,
    clamd_address=None,
):
    """Create the Classic UI site in French with the add-on and its demo;
    ``public_url``: the address the links in its emails lead to;
    ``oidc_issuer``: the local FranceConnect's address (oidc/, #20) when it
    is not the demo's default (port 8090); ``clamd_address``: ClamAV's
    daemon scanning its uploads (make start's, #21)."""
    from plone import api
    from plone.base.utils import get_installer
    from plone.distribution.api import site as site_api

    site = site_api.create(app, "classic", ANSWERS)
    setSite(site)
    configure_mail(site, smtp_host, smtp_port)  # before the demo, which sends mail
    installer = get_installer(site, site.REQUEST)
    installer.install_product("illkirch.eservices")
    # before the demo, whose validation email links to the site
    api.portal.set_registry_record(
        "illkirch.eservices.public_url", public_url.rstrip("/")
    )
    site.portal_setup.runAllImportStepsFromProfile("profile-illkirch.eservices:demo")
    # the demo citizen's requests, conversation, draft and documents (#17)
    site.portal_setup.runAllImportStepsFromProfile(
        "profile-illkirch.eservices:demo-activity"
    )
    if oidc_issuer:
        api.portal.set_registry_record(
            "illkirch.eservices.franceconnect.issuer", oidc_issuer
        )
    if clamd_address:
        configure_antivirus(clamd_address)
    return site


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--admin", default="admin:admin")
    parser.add_argument("--smtp-host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument(
        "--public-url",
        default=DEFAULT_PUBLIC_URL,
        help="the site's address, base of the links in its "
        f"emails (default {DEFAULT_PUBLIC_URL})",
    )
    parser.add_argument(
        "--oidc-issuer",
        default=None,
        help="the address of the local OpenID Connect provider shaped as "
        "FranceConnect (make start: http://localhost:8090/api/v2)",
    )
    parser.add_argument(
        "--clamd-address",
        default=None,
        help="ClamAV's daemon scanning the uploads, given to a site without "
        "one, new or existing (make start: tcp://127.0.0.1:3310)",
    )
    args = parser.parse_args(argv)
    login, _, password = args.admin.partition(":")

    with zope_app(args.zope_conf) as app:
        if ensure_admin(app, login, password):
            # committed now: the site creation starts a transaction of its own
            transaction.commit()
            print(f"Created the Zope administrator '{login}'.")
        # Work as the administrator (owner of the site and its content), as
        # when a site is created through the web.
        admin = app.acl_users.getUser(login).__of__(app.acl_users)
        newSecurityManager(None, admin)
        if SITE_ID in app.objectIds():
            print(f"The site '{SITE_ID}' exists: kept as it is.")
            if args.clamd_address:
                setSite(app[SITE_ID])
                if configure_antivirus(args.clamd_address):
                    print(f"Its uploads are scanned by {args.clamd_address}.")
        else:
            create_demo_site(
                app,
                args.smtp_host,
                args.smtp_port,
                args.public_url,
                args.oidc_issuer,
                args.clamd_address,
            )
            print(f"Created the demo site '{SITE_ID}' with its content and accounts.")
        transaction.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
