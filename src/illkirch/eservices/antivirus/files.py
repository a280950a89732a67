"""The scan of the files the portal receives (#21): the rule every upload
follows, whatever holds it (a request's documents, a message's files, the
document locker…).

- ``start(kind, ref, holder)``, called where an upload is stored: with the
  antivirus active (``is_active``: enabled, with a daemon's address), the
  holder's ``scan`` record says « en cours d'analyse » (``PENDING``), the
  file is listed among those waiting (``waiting_count``) and its scan is
  queued for after the upload's transaction commits (``scan_file``: the
  citizen's request never waits for it). Antivirus off: ``scan`` is None.
- ``is_available(holder)``: only a file found clean may be served (to
  agents, to the citizen, attached to an email or a PDF); a file of the
  time the antivirus was off is served while it stays off.
- ``scan_file(kind, ref)``, a task of the jobs' queue: the file's content
  streamed to ``clamd`` (``scanner.Scanner``). Clean → ``CLEAN``; infected
  (or too large for the daemon) → ``REFUSED`` with the signature's name,
  the content's SHA-256 and size, and the holder's kind (``IScannedFiles``)
  quarantines it (deletes its content, tells the citizen, warns the
  agents); the daemon down or silent → still ``PENDING``, tried again with
  a growing delay (``RETRY_DELAYS``) by the periodic ``sweep``, which also
  queues again a scan the queue lost: a file is scanned once the daemon is
  back, and never served before.

Operations (#21): ``start_unscanned``, a task of the queue (the control
panel's button « Analyser les fichiers reçus sans analyse »), queues the
scan of every kind's files received while the antivirus was off
(``IScannedFiles.unscanned``); ``daemon_version`` asks the daemon now (a
page's quick look); ``agents_summary`` is what the Guichet and the agents'
``GET /@requests`` show (files waiting; whether the daemon answers, to the
settings' managers).

Each kind of holder is a named utility providing ``IScannedFiles``
(``kind`` is its name; ``ref`` a string it understands: e.g. the request's
UID and the attachment's id); the rule above is written once, here.
"""

from AccessControl import getSecurityManager
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from illkirch.eservices import jobs
from illkirch.eservices.antivirus.scanner import Scanner
from illkirch.eservices.interfaces import ANTIVIRUS_PREFIX
from illkirch.eservices.site_storage import site_btree
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtilitiesFor
from zope.component import queryUtility
from zope.interface import Interface

import logging
import time


logger = logging.getLogger("illkirch.eservices.antivirus")

PENDING = "pending"
CLEAN = "clean"
REFUSED = "refused"
# the files waiting for their scan: "<kind> <ref>" → {"received", "tries",
# "next": when the sweep queues its scan (again)}
WAITING_KEY = "illkirch.eservices.antivirus_waiting"
MEGABYTE = 1024 * 1024
# seconds before a scan without verdict is tried again: 30 s, 1 min, 2 min…
# up to an hour between tries while the daemon stays down
FIRST_RETRY = 30
LAST_RETRY = 3600
# a queued scan not run within this delay (the queue lost it) is queued again
LOST_AFTER = 300


class IScannedFiles(Interface):
    """A kind of holder of scanned files (a named utility; its name is the
    ``kind`` given to ``start``)."""

    def find(ref):
        """The holder (the object whose ``scan`` record is kept, e.g. a
        request's ``Attachment``) named by ``ref``, or None when it is gone."""

    def content(holder):
        """A binary file object (``read``) of the holder's content."""

    def refused(holder, ref, record):
        """The holder's file was refused (``record``: its ``scan`` record,
        state ``REFUSED``): delete its content, keep it out of what agents
        and the citizen open, tell the citizen, warn the agents."""

    def unscanned():
        """``(ref, holder)`` of this kind's files whose ``scan`` is None
        (received while the antivirus was off), for a job starting their
        scan (``start(kind, ref, holder)`` for each)."""


# settings --------------------------------------------------------------------


def setting(name, default=None):
    return api.portal.get_registry_record(f"{ANTIVIRUS_PREFIX}.{name}", default=default)


def is_active():
    """Files are scanned: enabled, with a daemon's address (False before
    the upgrade registers the settings)."""
    return bool(setting("enabled") and (setting("address") or "").strip())


def scanner(timeout=None):
    """The Scanner of the settings' daemon (ValueError for a bad address);
    ``timeout``: seconds instead of the settings' (a quick look at the
    daemon's state)."""
    return Scanner.from_address(
        setting("address") or "",
        timeout=timeout or setting("timeout", 30) or 30,
        max_size=(setting("max_stream_mb", 25) or 25) * MEGABYTE,
    )


# seconds a page waits for the daemon's answer when it shows its state
PROBE_TIMEOUT = 3


def daemon_version():
    """The version the settings' daemon gives (« ClamAV 1.4.6/… »), None
    when it does not answer or no address is set (a page may ask: at most
    ``PROBE_TIMEOUT`` seconds)."""
    if not (setting("address") or "").strip():
        return None
    try:
        found = scanner(timeout=PROBE_TIMEOUT)
    except ValueError:
        return None
    return found.version()


# Debian's clamav-daemon listens there (/etc/clamav/clamd.conf LocalSocket)
DEBIAN_SOCKET = "unix:///run/clamav/clamd.ctl"


def use_local_daemon(candidates=(DEBIAN_SOCKET,)):
    """On by default where a daemon answers: with no address set yet, the
    first of ``candidates`` whose daemon answers PING becomes the address
    (at install and by the upgrade). Returns the address used, or None."""
    if (setting("address") or "").strip():
        return None
    for address in candidates:
        try:
            found = Scanner.from_address(address, timeout=PROBE_TIMEOUT)
        except ValueError:
            continue
        if found.ping():
            api.portal.set_registry_record(f"{ANTIVIRUS_PREFIX}.address", address)
            logger.info("antivirus: ClamAV's daemon answers on %s, used", address)
            return address
    return None


# who is told whether the daemon answers (the control panel's permission)
MANAGE_PERMISSION = "illkirch.eservices: Manage settings"


def agents_summary():
    """What the agents see of the scans (the Guichet, ``GET /@requests``):
    ``active``, ``waiting`` (how many files wait for their scan) and, for
    the users who manage the settings, ``daemon_answers`` (asked now; None
    when the antivirus is off)."""
    active = is_active()
    summary = {"active": active, "waiting": waiting_count()}
    # the current user's security manager (api.user.has_permission adopts
    # the user again, from their member data: #22)
    if getSecurityManager().checkPermission(MANAGE_PERMISSION, api.portal.get()):
        summary["daemon_answers"] = daemon_answers() if active else None
    return summary


# the Guichet's last probe of the daemon, per process: (address, when, answer)
_PROBED = {}
PROBE_KEPT = 30  # seconds a probe's answer is reused by the Guichet


def daemon_answers(now=None):
    """Whether the settings' daemon answers, asked at most once every
    ``PROBE_KEPT`` seconds per process (the Guichet's pages never wait on a
    hung daemon at each display; the control panel asks ``daemon_version``
    live)."""
    now = time.monotonic() if now is None else now
    address = (setting("address") or "").strip()
    found = _PROBED.get("last")
    if found and found[0] == address and now - found[1] < PROBE_KEPT:
        return found[2]
    answer = daemon_version() is not None
    _PROBED["last"] = (address, now, answer)
    return answer


# the rule --------------------------------------------------------------------


def _now():
    return datetime.now(UTC).isoformat(timespec="seconds")


def _later(seconds):
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(
        timespec="seconds"
    )


def _key(kind, ref):
    return f"{kind} {ref}"


def start(kind, ref, holder):
    """A file was just stored in ``holder``: with the antivirus active, it
    waits for its scan (queued after the transaction commits). Returns
    True when the file is pending."""
    if not is_active():
        holder.scan = None
        return False
    holder.scan = PersistentMapping({"state": PENDING, "received": _now()})
    site_btree(WAITING_KEY)[_key(kind, ref)] = {
        "received": _now(),
        "tries": 0,
        "next": _later(LOST_AFTER),
    }
    jobs.enqueue(scan_file, kind, ref)
    return True


def state(holder):
    """``PENDING``, ``CLEAN``, ``REFUSED``, or None (never scanned: received
    while the antivirus was off)."""
    record = getattr(holder, "scan", None)
    return record.get("state") if record else None


def is_pending(holder):
    return state(holder) == PENDING


def is_refused(holder):
    return state(holder) == REFUSED


def is_available(holder):
    """Whether the file may be opened (served, attached to an email or a
    PDF): found clean, or received while the antivirus was off and it still
    is; never while pending or refused."""
    found = state(holder)
    if found is None:
        return not is_active()
    return found == CLEAN


def _waiting_read():
    """The files waiting, read without creating their BTree (pages that
    show the count write nothing)."""
    return IAnnotations(api.portal.get()).get(WAITING_KEY) or {}


def waiting_count():
    """How many files wait for their scan."""
    return len(_waiting_read())


def waiting():
    """``(kind, ref, entry)`` of the files waiting for their scan (``entry``:
    ``received``, ``tries``, ``next``)."""
    for key, entry in list(_waiting_read().items()):
        kind, _sep, ref = key.partition(" ")
        yield kind, ref, entry


def _retry_later(kind, ref, reason):
    """No verdict: the sweep tries again after a growing delay."""
    key = _key(kind, ref)
    entry = dict(site_btree(WAITING_KEY).get(key) or {"received": _now()})
    tries = entry.get("tries", 0) + 1
    delay = min(FIRST_RETRY * 2 ** (tries - 1), LAST_RETRY)
    entry.update(tries=tries, next=_later(delay), error=reason or "")
    site_btree(WAITING_KEY)[key] = entry


def forget(kind, ref):
    """The file is no longer waiting (scanned, or its holder is gone)."""
    site_btree(WAITING_KEY).pop(_key(kind, ref), None)


def record_result(holder, result):
    """Keep the daemon's verdict (``ScanResult``) in the holder's record;
    returns the new state."""
    record = holder.scan if holder.scan is not None else PersistentMapping()
    record.update(
        {
            "scanned": _now(),
            "sha256": result.sha256,
            "size": result.size,
        }
    )
    if result.clean:
        record["state"] = CLEAN
    else:
        record["state"] = REFUSED
        record["signature"] = result.signature or ""
        record["reason"] = result.status
    holder.scan = record
    return record["state"]


@jobs.task(retries=0)
def scan_file(kind, ref):
    """Scan one waiting file (idempotent: a file already scanned, or gone,
    is left alone)."""
    files = queryUtility(IScannedFiles, name=kind)
    holder = files.find(ref) if files is not None else None
    if holder is None or not is_pending(holder):
        forget(kind, ref)
        return None
    if not is_active():
        # switched off meanwhile: the sweep scans it once it is on again
        return None
    content = files.content(holder)
    try:
        result = scanner().scan(content)
    finally:
        # a blob's file is closed once streamed, not left to the collector
        close = getattr(content, "close", None)
        if close is not None:
            close()
    if result.retry:
        logger.warning("scan of %s %s: no verdict (%s)", kind, ref, result.reason)
        _retry_later(kind, ref, result.reason)
        return PENDING
    found = record_result(holder, result)
    forget(kind, ref)
    if found == REFUSED:
        logger.warning(
            "%s %s refused: %s (sha256 %s)",
            kind,
            ref,
            result.signature or result.status,
            result.sha256,
        )
        files.refused(holder, ref, holder.scan)
    return found


@jobs.task(retries=0)
def start_unscanned():
    """Queue the scan of every file received while the antivirus was off
    (``scan`` None), of every kind (``IScannedFiles.unscanned``): they wait
    « en cours d'analyse » like a new upload (the control panel's button).
    Idempotent: a file already waiting or scanned is left alone. Returns
    how many files now wait."""
    if not is_active():
        return 0
    count = 0
    for kind, found in getUtilitiesFor(IScannedFiles):
        unscanned = getattr(found, "unscanned", None)
        if unscanned is None:
            continue
        for ref, holder in list(unscanned()):
            if state(holder) is None and start(kind, ref, holder):
                count += 1
    logger.info("%d file(s) received unscanned queued for their scan", count)
    return count


def scan_unscanned_later():
    """Once the antivirus is on (the upgrade found a daemon, the settings
    were saved with one), the files received while it was off are held:
    queue ``start_unscanned`` so that they wait for their scan like new
    uploads instead. Returns whether it was queued."""
    if not is_active():
        return False
    jobs.enqueue(start_unscanned)
    return True


@jobs.periodic("antivirus.sweep", minute="*")
def sweep(now=None):
    """Queue the scan of every waiting file whose time has come: tried
    again after no verdict, or lost by the queue. Returns how many."""
    if not is_active():
        return 0
    now = now or _now()
    count = 0
    for kind, ref, entry in waiting():
        if (entry.get("next") or "") > now:
            continue
        site_btree(WAITING_KEY)[_key(kind, ref)] = dict(entry, next=_later(LOST_AFTER))
        jobs.enqueue(scan_file, kind, ref)
        count += 1
    return count
