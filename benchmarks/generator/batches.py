"""Writing the town batch after batch, one transaction each, with the site's
checkpoint (seed, reference time, households done): what makes a run
resumable and reproducible.
"""

from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from datetime import UTC
from datetime import datetime
from generator.absent_values import absent_values
from generator.context import Context
from generator.dashboard import RebuildUnavailable
from generator.dashboard import compact_aggregates
from generator.dashboard import ensure_supervisor
from generator.dashboard import rebuild_aggregates
from generator.drafts import DRAFTS_PER_HOUSEHOLD
from generator.drafts import DraftsUnavailable
from generator.drafts import add_drafts
from generator.drafts import has_drafts
from generator.patches import cached_service_forms
from generator.patches import direct_blob_files
from generator.patches import faster_adds
from generator.patches import fewer_collections
from generator.patches import indexing_batch
from generator.patches import indexing_read_once
from generator.patches import muted_mail
from generator.patches import parents_local_roles
from generator.patches import remembered_emails
from generator.patches import remembered_missing_fields
from generator.patches import settle_collections
from generator.patches import steady_parents
from generator.patches import steady_schemas
from generator.patches import unchecked_ids
from generator.plan_households import plan_household
from generator.plan_requests import anonymous_count
from generator.plan_requests import anonymous_of
from generator.plan_requests import plan_anonymous
from generator.write_conversations import write_conversation
from generator.write_households import write_household
from generator.write_invoices import write_invoice
from generator.write_invoices import write_payment
from generator.write_requests import write_request
from generator.writing import user_exists
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import setSite

import gc
import time as clock
import transaction


CHECKPOINT_KEY = "illkirch.eservices.benchmark_generator"


def checkpoint(portal, seed, now=None):
    """The site's record of the generation: seed, reference time, the
    households done, the numbers of the account-less requests."""
    annotations = IAnnotations(portal)
    state = annotations.get(CHECKPOINT_KEY)
    if state is None:
        if now is None:
            return None
        state = annotations[CHECKPOINT_KEY] = PersistentMapping(
            seed=seed,
            now=now.isoformat(),
            done=IITreeSet(),
            households=IOBTree(),
            anonymous=IOBTree(),
            # every household counted in the aggregates as it is written
            # (write_batch): no recount needed at the end (finish_statistics)
            counted=True,
        )
    if state["seed"] != seed:
        raise SystemExit(
            f"This site was generated with --seed {state['seed']}; one seed per site."
        )
    return state


def remove_unfinished(ctx, plan):
    """A household left by an interrupted run (never with one transaction
    per batch, but with savepoints or by hand): delete it and its account."""
    if plan.id not in ctx.households.objectIds():
        return
    household = ctx.households[plan.id]
    holder_id = household.holder_id
    ctx.households._delObject(plan.id)
    if holder_id and user_exists(ctx.pas.source_users, holder_id):
        ctx.pas.source_users.removeUser(holder_id)
        ctx.pas.mutable_properties.deleteUser(holder_id)
        ctx.pas.portal_role_manager.removeRoleFromPrincipal("Member", holder_id)


def write_batch(ctx, state, indices, anonymous_ids):
    """Households ``indices`` and account-less requests ``anonymous_ids``,
    numbered in the order they were filed; return the counts."""
    from illkirch.eservices.requests.numbering import next_number

    plans = [plan_household(ctx, index) for index in indices]
    anonymous = {
        j: plan_anonymous(ctx, j) for j in anonymous_ids if j not in state["anonymous"]
    }
    for plan in plans:
        remove_unfinished(ctx, plan)
    requests = [r for plan in plans for r in plan.requests] + list(anonymous.values())
    for request in sorted(requests, key=lambda r: (r.submitted, r.key)):
        request.number = next_number(request.submitted)
    counts = {
        "households": 0,
        "persons": 0,
        "requests": 0,
        "invoices": 0,
        "payments": 0,
        "anonymous": 0,
        "messages": 0,
        "drafts": 0,
    }
    from illkirch.eservices.statistics import rebuild as statistics

    for plan in plans:
        household = write_household(ctx, plan)
        written = {
            request.key: write_request(ctx, household, request, plan)
            for request in plan.requests
        }
        if plan.conversation is not None:
            counts["messages"] += write_conversation(
                ctx,
                written[plan.conversation.request],
                plan.conversation,
                plan.holder_id,
            )
        if has_drafts(plan.index):
            counts["drafts"] += write_drafts(state, household, plan)
        for invoice in plan.invoices:
            write_invoice(ctx, household, invoice)
        payments = [
            write_payment(ctx, household, payment, plan.holder_id)
            for payment in plan.payments
        ]
        # the statistics' aggregates, as the events of the real paths would
        # have kept them (their add event counted the registration)
        statistics.count_household(household, registration=False)
        for request_obj in written.values():
            statistics.count_request(request_obj)
        for payment in payments:
            statistics.count_payment(payment)
        state["done"].insert(plan.index)
        state["households"][plan.index] = plan.id
        counts["households"] += 1
        counts["persons"] += len(plan.persons)
        counts["requests"] += len(plan.requests)
        counts["invoices"] += len(plan.invoices)
        counts["payments"] += len(plan.payments)
    for j, request in anonymous.items():
        statistics.count_request(write_request(ctx, ctx.requests_folder, request))
        state["anonymous"][j] = request.number
        counts["anonymous"] += 1
    return counts


def write_drafts(state, household, plan):
    """``DRAFTS_PER_HOUSEHOLD`` drafts of the household's latest service,
    recorded in the checkpoint; once the drafts are found unavailable, the
    reason is recorded and no other household tries."""
    if state.get("drafts_unavailable"):
        return 0
    try:
        count = add_drafts(
            household, plan.requests[-1].service.obj, DRAFTS_PER_HOUSEHOLD
        )
    except DraftsUnavailable as reason:
        state["drafts_unavailable"] = str(reason)
        return 0
    if "drafts" not in state:
        state["drafts"] = IOBTree()
    state["drafts"][plan.index] = count
    return count


def generate(
    portal,
    households,
    seed=2026,
    batch=50,
    progress=True,
    commit=transaction.commit,
    importer_id="admin",
    now=None,
    log=None,
):
    """Create households ``0 … households-1`` not created yet; return the
    counts of what was created. ``commit`` ends each batch; ``log`` is
    given each batch's figures (``write_batch_and_commit``)."""
    setSite(portal)
    state = checkpoint(portal, seed, now or datetime.now(UTC))
    ctx = Context(portal, seed, datetime.fromisoformat(state["now"]), importer_id)
    done = state["done"]
    todo = [i for i in range(households) if i not in done]
    totals = {
        "households": 0,
        "persons": 0,
        "requests": 0,
        "invoices": 0,
        "payments": 0,
        "anonymous": 0,
        "messages": 0,
        "drafts": 0,
        "skipped": households - len(todo),
        "mails": 0,
        "cpu_write": 0.0,
        "cpu_commit": 0.0,
        "statistics_seconds": 0.0,
        "statistics_cpu": 0.0,
    }
    bar = progress_bar(len(todo), progress)
    with (
        muted_mail() as mails,
        cached_service_forms(),
        faster_adds(portal),
        indexing_read_once(),
        absent_values(),
        remembered_emails(),
        steady_schemas(),
        remembered_missing_fields(),
        parents_local_roles(),
        steady_parents(),
        unchecked_ids(),
        direct_blob_files(),
        fewer_collections(),
    ):
        for start in range(0, len(todo), batch):
            indices = todo[start : start + batch]
            anonymous = [
                j for index in indices for j in anonymous_of(households, index)
            ]
            add_counts(
                totals,
                write_batch_and_commit(ctx, state, indices, anonymous, commit, log),
            )
            bar.update(len(indices))
            bar.set_postfix(objects=objects_of(totals))
        # those attached to households done by an earlier, smaller run
        missing = [
            j for j in range(anonymous_count(households)) if j not in state["anonymous"]
        ]
        if missing:
            add_counts(totals, write_batch_and_commit(ctx, state, [], missing, commit))
        bar.close()
        finish_statistics(portal, state, totals, commit)
        totals["mails"] = len(mails)
    return totals


def finish_statistics(portal, state, totals, commit):
    """The statistics of #19 (``generator/dashboard.py``): the Supervisor
    the dashboard is measured as, and the aggregates. Each household is
    counted as it is written (``write_batch``, the add-on's
    ``statistics.rebuild.count_*``, what a recount does): on a site whose
    checkpoint says so (``counted``, every site this version started) the
    past days are only frozen as the nightly task does; on a site generated
    before (a kept one), the aggregates are recomputed from the whole
    site's content once, then kept the same way. Without the add-on's
    ``statistics.rebuild``, the reason is kept in the checkpoint (the
    manifest says why the dashboard is not measured)."""
    state["supervisor"] = ensure_supervisor(portal)
    try:
        if state.get("counted"):
            wall, cpu = compact_aggregates()
        else:
            wall, cpu = rebuild_aggregates(portal)
            state["counted"] = True
    except RebuildUnavailable as reason:
        state["statistics_unavailable"] = str(reason)
    else:
        state.pop("statistics_unavailable", None)
        totals["statistics_seconds"], totals["statistics_cpu"] = wall, cpu
    commit()


def write_batch_and_commit(ctx, state, indices, anonymous, commit, log=None):
    """Write a batch, commit it; its counts with the CPU time of each part.
    ``log`` (a callable): given the batch's figures (``batch_figures``)."""
    from Products.CMFCore.indexing import processQueue

    connection = ctx.portal._p_jar
    connection.getTransferCounts(clear=True)
    with CollectorTime() as collector:
        began, wall = clock.process_time(), clock.perf_counter()
        counts = write_batch(ctx, state, indices, anonymous)
        written = clock.process_time()
        loaded_writing = connection.getTransferCounts()[0]
        # the catalog indexes the batch now, what the parents give read once each
        with indexing_batch():
            processQueue()
        indexed = clock.process_time()
        loaded = connection.getTransferCounts()[0]
        commit()
        stored = clock.process_time()
        stores = connection.getTransferCounts(clear=True)[1]
        settle_collections()
    counts["cpu_write"] = written - began
    counts["cpu_commit"] = clock.process_time() - written
    if log is not None:
        log(
            batch_figures(
                done=len(state["done"]),
                households=counts["households"],
                seconds=clock.perf_counter() - wall,
                cpu_write=counts["cpu_write"],
                cpu_index=indexed - written,
                cpu_store=stored - indexed,
                loads_writing=loaded_writing,
                loads_indexing=loaded - loaded_writing,
                stores=stores,
                cached=connection.db().cacheSize(),
                gc_seconds=collector.seconds,
                gc_full=collector.full,
            )
        )
    return counts


class CollectorTime:
    """The time Python's cyclic garbage collector takes while it is
    entered (``gc.callbacks``), and its full collections (generation 2)."""

    def __init__(self):
        self.seconds = 0.0
        self.full = 0
        self._started = None

    def __call__(self, phase, info):
        if phase == "start":
            self._started = clock.perf_counter()
        elif self._started is not None:
            self.seconds += clock.perf_counter() - self._started
            self._started = None
            self.full += info["generation"] == 2

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc_info):
        gc.callbacks.remove(self)


def batch_figures(**figures):
    """One batch's line of the generator's log (``generate.py --batch-log``),
    times rounded to the millisecond: the households done after it
    (``done``), its ``households``, its wall time (``seconds``), the CPU of
    writing its objects (``cpu_write``), of the catalog's indexing
    (``cpu_index``) and of the commit (``cpu_store``: ZODB's pickling of
    every new or changed record and the storage's writes), the objects
    loaded from the storage while writing and while indexing (a cache too
    small for the catalog loads its buckets again, batch after batch), the
    records stored, the objects in the database's caches after it, the time
    Python's garbage collector took (``CollectorTime``: during the batch
    and in ``settle_collections`` after it) and its full collections."""
    return {
        name: round(value, 3) if isinstance(value, float) else value
        for name, value in figures.items()
    }


def add_counts(totals, counts):
    for key, value in counts.items():
        totals[key] += value


def objects_of(counts):
    return sum(
        counts[key]
        for key in (
            "households",
            "persons",
            "requests",
            "invoices",
            "payments",
            "anonymous",
        )
    )


def progress_bar(total, enabled):
    from tqdm import tqdm

    return tqdm(
        total=total, unit="foyer", disable=not enabled, desc="Foyers", smoothing=0.1
    )
