"""Run the portal's background jobs (docs/operations.md).

    eservices-worker -c instance/etc/zope.conf [--site Plone] [--user admin]
        [--threads 1] [--import illkirch.eservices.testing.jobs]

Opens the Zope application of the configuration (its database must accept
several clients: ZEO, as ``make start`` runs it, or RelStorage), imports the
add-on's modules so that every task is registered, and consumes the queue
of ``JOBS_BACKEND`` (set by the instance's zope.conf): each job runs in a
transaction of its own, in the site, as the Zope user ``--user`` (the
system user without one), retried on ZODB conflicts; the periodic tasks are
scheduled here (once per period whatever the number of workers). SIGTERM
stops it once the jobs being run are finished.
"""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from illkirch.eservices.cli.zope_app import open_site
from illkirch.eservices.jobs import engine
from illkirch.eservices.jobs import registry
from Testing.makerequest import makerequest
from transaction.interfaces import TransientError
from zope.component.hooks import setSite
from zope.globalrequest import setRequest
from Zope2.Startup.run import make_wsgi_app

import argparse
import importlib
import logging
import pkgutil
import random
import sys
import time
import transaction
import Zope2


logger = logging.getLogger("illkirch.eservices.worker")
# Packages never holding tasks (and not to be loaded in a site's process).
SKIPPED = ("illkirch.eservices.testing", "illkirch.eservices.cli")
# Tries of a job's transaction on ZODB conflicts (as Zope's
# max-conflict-retries for a request).
CONFLICT_ATTEMPTS = 10


def import_tasks(extra=()):
    """Import every module of the add-on (each registers its tasks), then
    ``extra`` modules (tests' tasks)."""
    import illkirch.eservices

    for module in pkgutil.walk_packages(
        illkirch.eservices.__path__, "illkirch.eservices."
    ):
        if module.name.startswith(SKIPPED):
            continue
        try:
            importlib.import_module(module.name)
        except Exception:
            logger.exception("module %s not loaded", module.name)
    for name in extra:
        importlib.import_module(name)


def site_runner(site_id, login=None, attempts=CONFLICT_ATTEMPTS):
    """How the worker runs a task: in the site, as ``login``, in a
    transaction of its own committed at the end, tried again on conflicts."""

    def run(func, args, kwargs):
        for number in range(1, attempts + 1):
            transaction.begin()
            app = makerequest(
                Zope2.app(), environ={"SERVER_NAME": "worker", "SERVER_PORT": "80"}
            )
            app.REQUEST["PARENTS"] = [app]
            setRequest(app.REQUEST)
            try:
                from AccessControl.users import system

                newSecurityManager(None, system)
                if open_site(app, site_id, login) is None:
                    raise RuntimeError(f"no site {site_id!r} or user {login!r}")
                func(*args, **kwargs)
                transaction.commit()
                return
            except TransientError:
                transaction.abort()
                if number == attempts:
                    raise
                logger.info("conflict in %s, try %d", func.job_name, number + 1)
                time.sleep(random.uniform(0, 0.1 * number))
            except BaseException:
                transaction.abort()
                raise
            finally:
                setSite(None)
                setRequest(None)
                noSecurityManager()
                app._p_jar.close()

    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--site", default="Plone")
    parser.add_argument("--user", help="Zope user the jobs run as (system user)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--import",
        dest="modules",
        action="append",
        default=[],
        help="a module of tasks to load beside the add-on's (repeatable)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    make_wsgi_app({}, str(args.zope_conf))
    import_tasks(args.modules)
    app = Zope2.app()
    try:
        if open_site(app, args.site, args.user) is None:
            return 2
    finally:
        noSecurityManager()
        setSite(None)
        app._p_jar.close()
    registry.EAGER = False
    registry.IN_WORKER = True
    registry.RUNNER = site_runner(args.site, args.user)
    consumer = engine.start_worker(args.threads)
    logger.info(
        "worker %s: %d task(s), %d periodic, queue %s",
        engine.queue().worker_id,
        len(registry.TASKS),
        len(registry.PERIODIC),
        type(engine.queue()).__name__,
    )
    try:
        consumer.run()
    finally:
        Zope2.DB.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
