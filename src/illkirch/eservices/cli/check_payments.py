"""Check the pending card payments (docs/payments.md).

    eservices-check-payments -c instance/etc/zope.conf [--site Plone]

Payments pending for 20 minutes are asked to the bank when its backend can
tell; those still pending then expire (their invoices may be paid again).
The background worker does it every 15 minutes (the periodic task
``payments.check``); this command does the same at once and commits what
it changed.
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

        summary = recheck.check_payments()
        transaction.commit()
    print(
        "{pending} paiement(s) en attente : {asked} vérifié(s) auprès de la "
        "banque, {paid} payé(s), {closed} clos, {expired} expiré(s).".format(**summary)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
