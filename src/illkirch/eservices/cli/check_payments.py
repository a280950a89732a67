"""Check the pending card payments (docs/payments.md).

    eservices-check-payments -c instance/etc/zope.conf [--site Plone]

Payments pending for 20 minutes are asked to the bank when its backend can
tell; those pending for 24 hours expire (their invoices may be paid again).
Run it from cron every few minutes; it commits what it changed.
"""

from illkirch.eservices.cli.zope_app import open_site
from illkirch.eservices.cli.zope_app import zope_app

import argparse
import sys
import transaction


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--site", default="Plone")
    args = parser.parse_args(argv)
    with zope_app(args.zope_conf) as app:
        if open_site(app, args.site) is None:
            return 2
        from illkirch.eservices.payments import recheck

        summary = recheck.run()
        transaction.commit()
    print(
        "{pending} paiement(s) en attente : {asked} vérifié(s) auprès de la "
        "banque, {paid} payé(s), {closed} clos, {expired} expiré(s).".format(**summary)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
