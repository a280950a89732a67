"""Import the invoices exported by the billing software (docs/invoices.md).

    eservices-import-invoices -c instance/etc/zope.conf [--site Plone] FILE

Every row is checked first: on errors, each is printed with its row and its
column, nothing is imported and the exit code is 1. Otherwise the invoices
are written (a progress bar on stderr), the summary is printed and the
transaction committed.
"""

from illkirch.eservices.cli.zope_app import open_site
from illkirch.eservices.cli.zope_app import zope_app
from pathlib import Path
from zope.i18n import translate

import argparse
import sys
import time
import transaction


SUMMARY = (
    "{created} créée(s), {updated} mise(s) à jour, {cancelled} annulée(s), "
    "{unchanged} inchangée(s) — {invoices} facture(s), {rows} ligne(s) lues "
    "en {seconds:.1f} s."
)


def french(message):
    return translate(message, target_language="fr")


def format_error(error):
    where = f"ligne {error['row']}" if error["row"] else "fichier"
    if error["column"]:
        where += f", colonne {error['column']}"
    return f"{where} : {french(error['message'])}"


class Progress:
    """A tqdm bar on stderr, opened on the first invoice written."""

    def __init__(self, stream=None):
        self.bar = None
        self.stream = stream or sys.stderr

    def __call__(self, done, total):
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, unit="facture", file=self.stream, desc="Import"
            )
        self.bar.update(1)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def run(site, data, format_, out=sys.stdout, err=sys.stderr):
    """Import ``data`` into ``site``; return the exit code."""
    from illkirch.eservices.billing import importer

    started = time.perf_counter()
    rows, errors = importer.parse(data, format_)
    print(f"Vérification de {len(rows)} ligne(s)…", file=err)
    progress = Progress(err)
    try:
        summary = importer.import_rows(rows, progress=progress, errors=errors)
    except importer.InvoiceImportError as error:
        transaction.abort()
        print(f"{len(error.errors)} erreur(s) : rien n'a été importé.", file=out)
        for item in error.errors:
            print(format_error(item), file=out)
        return 1
    finally:
        progress.close()
    print(SUMMARY.format(seconds=time.perf_counter() - started, **summary), file=out)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--site", default="Plone")
    parser.add_argument(
        "--admin", default="admin", help="the Zope user who imports (default: admin)"
    )
    parser.add_argument(
        "--format", choices=("csv", "json"), help="default: from the file's extension"
    )
    parser.add_argument("file")
    args = parser.parse_args(argv)
    path = Path(args.file)
    if not path.is_file():
        parser.error(f"no such file: {path}")
    format_ = args.format or ("json" if path.suffix.lower() == ".json" else "csv")
    data = path.read_bytes()

    with zope_app(args.zope_conf) as app:
        site = open_site(app, args.site, args.admin)
        if site is None:
            return 2
        code = run(site, data, format_)
        if code == 0:
            transaction.commit()
    return code


if __name__ == "__main__":
    sys.exit(main())
