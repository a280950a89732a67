"""A kind of scanned files for the antivirus' benchmark
(``benchmarks/antivirus.py`` « uploads per minute one worker can scan »):
holders kept in the site (an annotation), each with its content in the
database as an upload's, scanned through ``antivirus.files`` by the real
queue's worker, which loads this module with ``--import``."""

from illkirch.eservices.antivirus import files
from illkirch.eservices.site_storage import site_btree
from persistent import Persistent
from zope.component import getGlobalSiteManager
from zope.interface import implementer

import io


KIND = "benchmark-files"
KEY = "illkirch.eservices.testing.scan_bench"


class BenchFile(Persistent):
    scan = None

    def __init__(self, data):
        self.data = data


@implementer(files.IScannedFiles)
class BenchFiles:
    def find(self, ref):
        return site_btree(KEY).get(ref)

    def content(self, holder):
        return io.BytesIO(holder.data)

    def refused(self, holder, ref, record):
        holder.data = b""

    def unscanned(self):
        for ref, holder in site_btree(KEY).items():
            if holder.scan is None:
                yield ref, holder


def receive(ref, data):
    """A file received: stored, its scan queued (after the commit)."""
    holder = site_btree(KEY)[ref] = BenchFile(data)
    files.start(KIND, ref, holder)
    return holder


def states():
    """``{state: count}`` of the benchmark's files."""
    found = {}
    for holder in site_btree(KEY).values():
        state = files.state(holder)
        found[state] = found.get(state, 0) + 1
    return found


def clear():
    site_btree(KEY).clear()


getGlobalSiteManager().registerUtility(BenchFiles(), files.IScannedFiles, name=KIND)


def main(argv=None):
    """``python -m illkirch.eservices.testing.scan_bench -c zope.conf``:
    the benchmark's files' states as JSON (a process of its own: the
    benchmark's closed its database)."""
    from illkirch.eservices.cli.zope_app import zope_app
    from zope.component.hooks import setSite

    import argparse
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--zope-conf", required=True)
    parser.add_argument("--site", default="Plone")
    args = parser.parse_args(argv)
    with zope_app(args.zope_conf) as app:
        setSite(app[args.site])
        print(json.dumps({str(k): v for k, v in states().items()}))
        setSite(None)


if __name__ == "__main__":
    main()
