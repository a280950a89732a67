"""Open the Zope application of an instance configuration, outside a server."""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from contextlib import contextmanager
from Testing.makerequest import makerequest
from zope.globalrequest import setRequest
from Zope2.Startup.run import make_wsgi_app

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
