"""Count the statistics' aggregates again from the content (docs/statistics.md).

    eservices-statistics-rebuild -c instance/etc/zope.conf [--site Plone]

The aggregates are kept by events as things happen; this command resets
them and counts every request, payment and household again, then commits.
Run it after restoring a backup (the aggregates then match the restored
content) or if they are ever in doubt; the upgrade step 1011 runs it once.
A conflict with a request changed meanwhile is retried (3 attempts).
"""

from illkirch.eservices.cli.zope_app import open_site
from illkirch.eservices.cli.zope_app import zope_app

import argparse
import sys
import transaction


ATTEMPTS = 3
SUMMARY = (
    "Statistiques recomptées : {requests} demande(s), {payments} paiement(s), "
    "{households} foyer(s)."
)


def run(site, attempts=ATTEMPTS, out=sys.stdout):
    """Rebuild the aggregates of ``site`` in a transaction, retried on a
    conflict; return the exit code."""
    from illkirch.eservices.statistics import rebuild

    summary = None
    for attempt in transaction.manager.attempts(attempts):
        with attempt:
            summary = rebuild.rebuild(site)
    print(SUMMARY.format(**summary), file=out)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--site", default="Plone")
    args = parser.parse_args(argv)
    with zope_app(args.zope_conf) as app:
        site = open_site(app, args.site)
        if site is None:
            return 2
        return run(site)


if __name__ == "__main__":
    sys.exit(main())
