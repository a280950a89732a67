"""A bare Plone instance for ``benchmarks/memory.py``: Zope without the
add-on's ZCML (plone.autoinclude skips ``illkirch.eservices``, installed in
the virtualenv), and its site made by Plone's own factory.

    python benchmarks/bare_instance.py create <zope.conf> <login:password>
    python benchmarks/bare_instance.py serve <zope.ini>

``create``: the Zope administrator and the Plone site ``Plone`` of the
« classic » distribution (French, no content), if absent. ``serve``: what
``runwsgi <zope.ini>`` does.
"""

import sys


ADDON = "illkirch.eservices"


def without_addon():
    """plone.autoinclude loads every add-on of the virtualenv but this one."""
    from plone.autoinclude import loader

    original = loader.load_z3c_packages

    def load_z3c_packages(target=""):
        found = original(target=target)
        found.pop(ADDON, None)
        return found

    loader.load_z3c_packages = load_z3c_packages


def create(zope_conf, admin):
    from AccessControl.SecurityManagement import newSecurityManager
    from illkirch.eservices.cli.zope_app import zope_app
    from plone.distribution.api import site as site_api
    from zope.component.hooks import setSite

    import transaction

    login, _, password = admin.partition(":")
    with zope_app(zope_conf) as app:
        if app.acl_users.getUser(login) is None:
            app.acl_users.userFolderAddUser(login, password, ["Manager"], [])
            transaction.commit()
        newSecurityManager(None, app.acl_users.getUser(login).__of__(app.acl_users))
        if "Plone" not in app.objectIds():
            site = site_api.create(
                app,
                "classic",
                {
                    "site_id": "Plone",
                    "title": "Plone",
                    "default_language": "fr",
                    "portal_timezone": "Europe/Paris",
                    "setup_content": False,
                },
            )
            setSite(site)
        transaction.commit()
        print("bare Plone site ready")
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    without_addon()
    if argv[:1] == ["create"] and len(argv) == 3:
        return create(argv[1], argv[2])
    if argv[:1] == ["serve"] and len(argv) == 2:
        from Zope2.Startup.serve import main as serve

        return serve(["runwsgi", argv[1]])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
