"""A bounded load test of the citizen journey (docs/performance.md).

    .venv/bin/python benchmarks/load.py --households 1000 [--users 20] \\
        [--duration 120] [--think 0] [--workdir var/bench] [--url URL]

Phase 1: ``--users`` simulated citizens (threads, one manifest citizen each)
loop for ``--duration`` seconds over: login (Plone's form, a new session) →
Accueil → Demandes → Mes comptes → add a « ville » invoice to the basket (the
page's form) → remove it; no think time unless ``--think`` seconds (fixed)
between steps. Phase 2: as many users, as long, each logged in once, loop
over the baseline Document view. Each user ends the round it is in when the
time is up. The basket's POSTs are timed without following their redirects.

The instance is the prepared site of ``benchmarks/run.py`` (same workdir),
started here with its default threads, or an instance already serving it
(``--url http://127.0.0.1:PORT/Plone``; the manifest is still read from the
workdir). Loopback only. Reports the requests, the errors (any status other
than the expected one, any exception or wrong page: there must be none), the
throughput and the median and p95 per step (client time: what the user
waits, queueing included) in ``benchmarks/results/load-<N>.json``. The exit
status is 1 when there was an error.
"""

from baseline import DOC_TITLE
from baseline import ensure_document
from bench_site import BenchSite
from citizens import Citizen
from contextlib import ExitStack
from errors import BenchError
from pages import BASKET_ADDED
from pages import BASKET_REMOVED
from pages import basket_form
from pages import forget_status_messages
from pages import shows
from pages import tab_check
from paths import RESULTS
from progress import log
from result_files import machine_info
from result_files import write_json
from servers import MailSink
from servers import Server
from servers import exit_on_sigterm
from sessions import logged_in
from sessions import login_form
from stats import stats
from timing import timed

import argparse
import requests
import sys
import threading
import time


JOURNEY = (
    "login",
    "accueil",
    "demandes",
    "mes-comptes",
    "panier-ajouter",
    "panier-retirer",
)
TABS = (
    ("accueil", "mon-espace", "Accueil"),
    ("demandes", "mon-espace-demandes", "Demandes"),
    ("mes-comptes", "mon-espace-factures", "Mes comptes"),
)
MAX_ERROR_SAMPLES = 20


class Recorder:
    """Times per step and errors, shared by the users' threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = []
        self.error_count = 0

    def step(self, name, session, method, url, **kwargs):
        response, client_ms, _server_ms = timed(session, method, url, name, **kwargs)
        with self.lock:
            self.times.setdefault(name, []).append(client_ms)
        return response

    def error(self, user, problem):
        with self.lock:
            self.error_count += 1
            if len(self.errors) < MAX_ERROR_SAMPLES:
                self.errors.append(f"{user}: {problem}"[:600])


def journey(url, user, password, uid, rec, think):
    """One round of a citizen (``uid``: the invoice to add, one that the
    basket accepted at the start); raise on the first wrong answer."""
    session = requests.Session()
    form = None  # set while an invoice is in the basket
    try:
        rec.step(
            "login",
            session,
            "POST",
            f"{url}/login",
            status=302,
            data=login_form(user, password),
            check=logged_in,
        )
        for name, view, title in TABS:
            time.sleep(think)
            page = rec.step(
                name,
                session,
                "GET",
                f"{url}/@@{view}",
                texts=("Mon espace",),
                check=tab_check(title),
            )
        token, uids = basket_form(page.text)
        if not (token and uid in uids):
            raise BenchError(f"no form to add {uid} to the basket in « Mes comptes »")
        time.sleep(think)
        rec.step(
            "panier-ajouter",
            session,
            "POST",
            f"{url}/@@panier-ajouter",
            status=302,
            data={"_authenticator": token, "uid": uid},
            check=shows(BASKET_ADDED),
        )
        form = {"_authenticator": token, "uid": uid}
        time.sleep(think)
        rec.step(
            "panier-retirer",
            session,
            "POST",
            f"{url}/@@panier-retirer",
            status=302,
            data=form,
            check=shows(BASKET_REMOVED),
        )
        form = None
        forget_status_messages(session)
    finally:
        if form is not None:  # after an error: keep the next round's add valid
            try:
                session.post(f"{url}/@@panier-retirer", data=form, timeout=120)
            except requests.RequestException:
                pass
        session.close()


def reading(url, doc, user, password, rec, think, state):
    """One Document view, logged in once per user (``state`` keeps the session)."""
    if "session" not in state:
        state["session"] = requests.Session()
        rec.step(
            "login",
            state["session"],
            "POST",
            f"{url}/login",
            status=302,
            data=login_form(user, password),
            check=logged_in,
        )
    time.sleep(think)
    rec.step("document", state["session"], "GET", doc, texts=(DOC_TITLE,))


def phase(name, users, duration, one_round):
    """Run ``one_round(user, recorder, state)`` in a loop in one thread per
    user for ``duration`` seconds; return the phase's report."""
    rec = Recorder()
    deadline = time.monotonic() + duration

    def loop(user):
        state = {}
        while time.monotonic() < deadline:
            try:
                one_round(user, rec, state)
            except Exception as error:  # any failure is an error of the test
                rec.error(user, f"{type(error).__name__}: {error}")
                state.pop("session", None)  # start again from a login
        if "session" in state:
            state["session"].close()

    log(f"… {name}: {len(users)} users for {duration} s")
    threads = [threading.Thread(target=loop, args=(user,), name=user) for user in users]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(len(times) for times in rec.times.values())
    result = {
        "users": len(users),
        "duration": duration,
        "elapsed": elapsed,
        "requests": total,
        "errors": rec.error_count,
        "error_samples": rec.errors,
        "throughput": total / elapsed,
        "all": stats([t for times in rec.times.values() for t in times]),
        "steps": {step: stats(times) for step, times in rec.times.items()},
    }
    print_phase(name, result)
    return result


def print_phase(name, result):
    log(
        f"\n{name}: {result['users']} users, {result['elapsed']:.0f} s, "
        f"{result['requests']} requests, {result['errors']} errors, "
        f"{result['throughput']:.1f} req/s"
    )
    log(f"  {'step':<16} {'n':>6} {'median ms':>10} {'p95 ms':>8}")
    for step, figures in [*result["steps"].items(), ("(all)", result["all"])]:
        if not figures:
            continue
        log(
            f"  {step:<16} {figures['n']:>6} {figures['median']:>10.1f} "
            f"{figures['p95']:>8.1f}"
        )
    for problem in result["error_samples"]:
        log(f"  ERROR {problem}")


def run(url, manifest, args):
    password = manifest["citizen_password"]
    citizens = [c["login"] for c in manifest["citizens"]]
    if args.users > len(citizens):
        raise BenchError(
            f"--users {args.users}: the manifest has {len(citizens)} "
            "citizens (one household per user, or baskets would clash)"
        )
    users = citizens[: args.users]
    # empty baskets, and an invoice each that the basket accepts
    uids = {user: Citizen(url, user, password).uid for user in users}
    doc = ensure_document(url)
    citizen = phase(
        "Citizen journey",
        users,
        args.duration,
        lambda user, rec, _state: journey(
            url, user, password, uids[user], rec, args.think
        ),
    )
    document = phase(
        "Document view (logged in)",
        users,
        args.duration,
        lambda user, rec, state: reading(
            url, doc, user, password, rec, args.think, state
        ),
    )
    return {"journey": list(JOURNEY), "citizen": citizen, "document": document}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120, help="seconds per phase")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="fixed pause before each step after login (s)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", default="var/bench")
    parser.add_argument("--url", help="an instance already serving the prepared site")
    args = parser.parse_args(argv)
    exit_on_sigterm()

    site = BenchSite(args.workdir, args.households, args.seed)
    result = {
        "households": args.households,
        "users": args.users,
        "duration": args.duration,
        "think": args.think,
        "clock": "client time: loopback request, queueing included",
        "machine": machine_info(),
    }
    try:
        with ExitStack() as stack:
            if args.url:
                manifest, url = site.read_manifest(), args.url.rstrip("/")
                if not manifest:
                    raise BenchError(
                        f"no manifest {site.manifest_path}: run run.py "
                        "with --keep first, or give the right --workdir"
                    )
            else:
                stack.enter_context(MailSink(site))
                manifest = site.prepare()
                stack.enter_context(Server(site))
                url = site.url
            result.update(run(url, manifest, args))
    except BenchError as error:
        log(f"\nFAILED: {error}")
        return 1
    result["url"] = url
    write_json(RESULTS / f"load-{args.households}.json", result)
    errors = result["citizen"]["errors"] + result["document"]["errors"]
    if errors:
        log(f"\nFAILED: {errors} error(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
