"""Open the Zope application of an instance configuration, outside a server."""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from contextlib import contextmanager
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest
from Zope2.Startup.run import make_wsgi_app

import sys
import transaction
import Zope2


@contextmanager
def zope_app(zope_conf):
    """Yield the root application as the system user; abort on error.

    The caller commits what it wants kept.
    """
    make_wsgi_app({}, str(zope_conf))
    app = makerequest(Zope2.app())
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    from AccessControl.users import system

    newSecurityManager(None, system)
    try:
        yield app
    except BaseException:
        transaction.abort()
        raise
    finally:
        noSecurityManager()
        setRequest(None)
        database = app._p_jar.db()
        app._p_jar.close()
        # Closing the database saves FileStorage's index: without it, the
        # next start re-reads the whole Data.fs (minutes on a large site).
        database.close()


def open_site(app, site_id, login=None):
    """The site ``site_id`` of ``app``, made the current site, worked in as
    the Zope user ``login`` (the system user when None); None, the reason
    printed on stderr, when the site or the user does not exist."""
    if site_id not in app.objectIds():
        print(f"There is no site '{site_id}'.", file=sys.stderr)
        return None
    if login is not None:
        user = app.acl_users.getUser(login)
        if user is None:
            print(f"There is no Zope user '{login}'.", file=sys.stderr)
            return None
        newSecurityManager(None, user.__of__(app.acl_users))
    site = app[site_id]
    setSite(site)
    return site
