"""A kind of scanned files of the tests' own (#21), in memory: the rule of
``antivirus.files`` played without a content type of the portal
(``tests/antivirus``)."""

from illkirch.eservices.antivirus import files
from zope.component import getGlobalSiteManager
from zope.interface import implementer

import io


class MemoryHolder:
    scan = None

    def __init__(self, data):
        self.data = data


@implementer(files.IScannedFiles)
class MemoryFiles:
    """``holders``: ref → MemoryHolder; ``refusals``: ``(ref, record)`` of
    the files the antivirus refused, in order."""

    def __init__(self):
        self.holders = {}
        self.refusals = []

    def find(self, ref):
        return self.holders.get(ref)

    def content(self, holder):
        return io.BytesIO(holder.data)

    def refused(self, holder, ref, record):
        holder.data = None
        self.refusals.append((ref, dict(record)))

    def unscanned(self):
        for ref, holder in self.holders.items():
            if holder.scan is None:
                yield ref, holder

    def receive(self, kind, ref, data):
        """A file received: kept, then ``files.start`` (scanned at once in
        the tests' eager queue)."""
        holder = self.holders[ref] = MemoryHolder(data)
        files.start(kind, ref, holder)
        return holder


def register_memory_files(testcase, kind):
    """A MemoryFiles registered as the kind ``kind`` for the test."""
    found = MemoryFiles()
    registry = getGlobalSiteManager()
    registry.registerUtility(found, files.IScannedFiles, name=kind)
    testcase.addCleanup(
        registry.unregisterUtility, found, files.IScannedFiles, name=kind
    )
    return found
