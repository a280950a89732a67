"""The load test: throughput with 1 and 2 instances (docs/performance.md,
« The load test »; issue #22, target 5).

    .venv/bin/python benchmarks/load.py --households 1000 [--users 50] \\
        [--agents 10] [--duration 300] [--warmup 30] [--instances 1,2] \\
        [--filestorage] [--balance leastconn] [--threads 4] [--think 0] \\
        [--cache-local-mb MB] [--workdir var/bench] \\
        [--pg "host=127.0.0.1 port=5432 user=postgres"]
    .venv/bin/python benchmarks/load.py --households 1000 --url URL ...

The users (threads, no think time unless ``--think`` seconds before each
step after login): ``--users`` minus ``--agents`` citizens, each of its own
household, loop over their journey: login (Plone's form, a new session) →
Accueil → the Document view → Demandes → Mes comptes → add a « ville »
invoice to the basket (the page's form) → remove it (POSTs timed without
following their redirects); ``--agents`` agents (the manifest's, logged in
once) loop over the Guichet: first page → the Document view → filtered (the
manifest's service and status) → the page of the first request it lists.
The Document view is interleaved in both rounds: every step's median and
p95 are printed beside the Document view's by the same role, under the same
load.

The site is the prepared site of ``benchmarks/run.py`` (same workdir, a
FileStorage). For the phases, it is copied once into a PostgreSQL database
of its own (``relstorage_site.py``: ``zodbconvert`` with the blobs; skipped
when the database already holds that site), then for each count of
``--instances`` (default ``1,2``), that many instances on RelStorage are
started behind HAProxy (``balancer.py``: a configuration written here,
``--balance``, a health check; Debian's, ``make haproxy``): only the number
of instances changes between the phases, not the storage nor the balancer.
``--cache-local-mb`` sets RelStorage's pickle cache of each instance (the
template's 200 MB without it; the results file is then
``load-<N>-cache<MB>.json``). ``--filestorage`` first adds a phase on the
FileStorage instance alone, without HAProxy, for information. Each phase
warms up ``--warmup`` seconds (not counted), then counts the requests
answered during ``--duration`` seconds; each user ends the round it is in.

``--url``: one phase against an instance already serving the prepared site
(the manifest is still read from the workdir). Loopback only.

Reports per phase the requests, the errors (any status other than the
expected one, any exception or wrong page: there must be none), the
throughput, the median and p95 per step (client time: what the user waits,
queueing included) beside the Document view's, the CPU used by the
instances, PostgreSQL, HAProxy and this process, and the instances'
resident memory; then the throughput of the most instances over one's, PASS
when ≥ 1.6 (``SCALING_TARGET``). Written to
``benchmarks/results/load-<N>.json``. The exit status is 1 when there was
an error.
"""

from balancer import BALANCES
from balancer import HAProxy
from baseline import DOC_TITLE
from baseline import ensure_document
from bench_site import ADMIN
from bench_site import BenchSite
from citizens import Citizen
from contextlib import ExitStack
from errors import BenchError
from illkirch.eservices.cli.processes import ProcessError
from illkirch.eservices.cli.processes import free_port
from illkirch.eservices.testing.sessions import JSON_HEADERS
from pages import BASKET_ADDED
from pages import BASKET_REMOVED
from pages import basket_form
from pages import forget_status_messages
from pages import shows
from pages import tab_check
from paths import RESULTS
from progress import log
from relstorage_site import DEFAULT_PG
from relstorage_site import RelStorageCopy
from relstorage_site import render_args as cache_render_args
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
import html
import os
import re
import requests
import sys
import threading
import time


SCALING_TARGET = 1.6
CITIZEN_ROUND = (
    "login",
    "accueil",
    "document (citizen)",
    "demandes",
    "mes-comptes",
    "panier-ajouter",
    "panier-retirer",
)
AGENT_ROUND = (
    "guichet",
    "document (agent)",
    "guichet-filtered",
    "request-page (agent)",
)
BASELINES = {
    **{step: "document (citizen)" for step in CITIZEN_ROUND},
    **{step: "document (agent)" for step in AGENT_ROUND},
}
TABS = (
    ("accueil", "mon-espace", "Accueil"),
    ("demandes", "mon-espace-demandes", "Demandes"),
    ("mes-comptes", "mon-espace-factures", "Mes comptes"),
)
MAX_ERROR_SAMPLES = 20
# a row of the Guichet's table and its first link: the request's page
GUICHET_ROW = re.compile(r'<tr[^>]*id="demande-([^"]+)"[^>]*>.*?href="([^"]+)"', re.S)


def scaling(phases, target=SCALING_TARGET):
    """The throughput of the phase with the most instances over the 1-instance
    one's (RelStorage phases: ``(instances, throughput)`` pairs), or None
    without both."""
    by_count = dict(phases)
    most = max(by_count, default=None)
    if 1 not in by_count or most is None or most == 1 or not by_count[1]:
        return None
    ratio = by_count[most] / by_count[1]
    return {
        "instances": [1, most],
        "throughput": [by_count[1], by_count[most]],
        "ratio": ratio,
        "target": target,
        "verdict": "PASS" if ratio >= target else "MISS",
    }


def beside_baseline(steps):
    """Each step's figures with its Document view's (same role) and the
    ratios of their medians and p95s."""
    rows = {}
    for step, figures in steps.items():
        row = dict(figures)
        base = steps.get(BASELINES.get(step))
        if base and step != BASELINES.get(step):
            row["baseline"] = BASELINES[step]
            row["baseline_median"] = base["median"]
            row["baseline_p95"] = base["p95"]
            row["median_ratio"] = figures["median"] / base["median"]
            row["p95_ratio"] = figures["p95"] / base["p95"]
        rows[step] = row
    return rows


def guichet_first_request(page):
    """``(number, url)`` of the first request a Guichet page lists, or None."""
    match = GUICHET_ROW.search(page)
    return (match.group(1), html.unescape(match.group(2))) if match else None


class Recorder:
    """Times per step and errors, shared by the users' threads; a time is kept
    when its request ends inside the measured window."""

    def __init__(self, start, end):
        self.lock = threading.Lock()
        self.start, self.end = start, end
        self.times = {}
        self.errors = []
        self.error_count = 0

    def step(self, name, session, method, url, **kwargs):
        response, client_ms, _server_ms = timed(session, method, url, name, **kwargs)
        if self.start <= time.monotonic() <= self.end:
            with self.lock:
                self.times.setdefault(name, []).append(client_ms)
        return response

    def error(self, user, problem):
        with self.lock:
            self.error_count += 1
            if len(self.errors) < MAX_ERROR_SAMPLES:
                self.errors.append(f"{user}: {problem}"[:600])


def citizen_round(url, doc, citizen, rec, think, _state):
    """One round of a citizen; raise on the first wrong answer."""
    session = requests.Session()
    uid = citizen["uid"]
    form = None  # set while an invoice is in the basket
    try:
        rec.step(
            "login",
            session,
            "POST",
            f"{url}/login",
            status=302,
            data=login_form(citizen["login"], citizen["password"]),
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
            if name == "accueil":
                time.sleep(think)
                rec.step("document (citizen)", session, "GET", doc, texts=(DOC_TITLE,))
        token, uids = basket_form(page.text)
        if not (token and uid in uids):
            raise BenchError(f"no form to add {uid} to the basket in « Mes comptes »")
        time.sleep(think)
        form = {"_authenticator": token, "uid": uid}
        rec.step(
            "panier-ajouter",
            session,
            "POST",
            f"{url}/@@panier-ajouter",
            status=302,
            data=form,
            check=shows(BASKET_ADDED),
        )
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


def agent_round(url, doc, agent, rec, think, state):
    """One round of an agent in the Guichet (logged in once: ``state``)."""
    if "session" not in state:
        state["session"] = requests.Session()
        rec.step(
            "login",
            state["session"],
            "POST",
            f"{url}/login",
            status=302,
            data=login_form(agent["login"], agent["password"]),
            check=logged_in,
        )
    session = state["session"]

    def guichet(name, params):
        time.sleep(think)
        return rec.step(
            name,
            session,
            "GET",
            f"{url}/@@guichet",
            params=params,
            texts=("Guichet", "Demandes par statut"),
            check=lambda r: (
                "filter refused" if 'id="guichet-errors"' in r.text else None
            ),
        )

    first = guichet("guichet", {})
    time.sleep(think)
    rec.step("document (agent)", session, "GET", doc, texts=(DOC_TITLE,))
    filtered = guichet(
        "guichet-filtered",
        {"service": agent["service"], "review_state": agent["status"]},
    )
    found = guichet_first_request(filtered.text) or guichet_first_request(first.text)
    if found is None:
        raise BenchError("the Guichet lists no request to open")
    number, address = found
    time.sleep(think)
    rec.step("request-page (agent)", session, "GET", address, texts=(number,))


def admin_logins(url):
    """Every user's login, from ``GET /@users`` as admin (to find more
    citizens than the manifest names)."""
    session = requests.Session()
    session.auth = ADMIN
    session.headers.update(JSON_HEADERS)
    logins, address = [], f"{url}/@users"
    while address:
        answer = session.get(address, timeout=600)
        if answer.status_code != 200:
            raise BenchError(f"GET /@users as admin answered {answer.status_code}")
        data = answer.json()
        items = data.get("items", []) if isinstance(data, dict) else data
        logins += [user.get("username") or user["id"] for user in items]
        address = isinstance(data, dict) and data.get("batching", {}).get("next")
    return logins


def choose_citizens(url, manifest, count):
    """``count`` logins of citizens of distinct households, each with an
    invoice its basket accepts: the manifest's citizens first, then its
    other citizens (conversations, drafts), then the site's other users with
    the citizens' password."""
    password = manifest["citizen_password"]
    agents = {a["login"] for a in manifest["agents"]}
    candidates = [c["login"] for c in manifest["citizens"]]
    candidates += [c["login"] for c in manifest.get("conversations") or []]
    candidates += list((manifest.get("drafts") or {}).get("citizens") or [])
    chosen, seen, more = [], set(), None
    while len(chosen) < count:
        if not candidates:
            if more is not None:
                break
            more = admin_logins(url)
            candidates = [login for login in sorted(more) if login not in agents]
            continue
        login = candidates.pop(0)
        if login in seen:
            continue
        seen.add(login)
        try:
            Citizen(url, login, password)
        except BenchError:
            continue  # no household, no payable invoice, not a citizen
        chosen.append(login)
    if len(chosen) < count:
        raise BenchError(
            f"{count} citizens wanted, {len(chosen)} found with an invoice "
            "the basket accepts: a larger site (--households) or fewer --users"
        )
    log(f"  {count} citizens chosen ({len(seen)} tried)")
    return chosen


def cpu_seconds(processes):
    """User + system CPU seconds of psutil processes (gone ones count 0)."""
    import psutil

    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


class CpuMeter:
    """CPU used during the measured window by the instances, PostgreSQL's
    processes, HAProxy, this process (the simulated users) and the whole
    machine (the other engineers' work included), in cores."""

    def __init__(self, groups):
        import psutil

        self.groups = {
            name: [psutil.Process(pid) for pid in pids if psutil.pid_exists(pid)]
            for name, pids in groups.items()
        }
        self.groups["postgresql"] = [
            p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"
        ]
        self.groups["load generator"] = [psutil.Process()]

    def begin(self):
        import psutil

        self.started = time.monotonic()
        self.machine = psutil.cpu_times()
        self.before = {name: cpu_seconds(p) for name, p in self.groups.items()}

    def end(self):
        import psutil

        elapsed = time.monotonic() - self.started
        machine = psutil.cpu_times()
        busy = sum(machine) - machine.idle - machine.iowait
        busy -= sum(self.machine) - self.machine.idle - self.machine.iowait
        cores = {
            name: (cpu_seconds(p) - self.before[name]) / elapsed
            for name, p in self.groups.items()
        }
        cores["machine (all processes)"] = busy / elapsed
        return cores


def rss_mb(pids):
    import psutil

    result = []
    for pid in pids:
        try:
            result.append(psutil.Process(pid).memory_info().rss / 2**20)
        except psutil.Error:
            result.append(None)
    return result


def phase(name, url, citizens, agents, args, processes=None, extra=None):
    """The users in their threads for ``args.warmup`` + ``args.duration``
    seconds; the phase's report."""
    processes = processes or {}
    doc = ensure_document(url)
    log(f"\n… {name}: preparing {len(citizens)} citizens and {len(agents)} agents")
    users = []
    for login in citizens:
        citizen = Citizen(url, login, args.password)  # empties the basket
        users.append((login, citizen_round, {"login": login, "uid": citizen.uid}))
    for number in range(len(agents)):
        agent = agents[number]
        users.append((f"agent-{number + 1}:{agent['login']}", agent_round, agent))
    for _user, _round, who in users:
        who.setdefault("password", args.password)
    now = time.monotonic()
    rec = Recorder(now + args.warmup, now + args.warmup + args.duration)
    meter = CpuMeter(processes)

    def loop(user, one_round, who):
        state = {}
        while time.monotonic() < rec.end:
            try:
                one_round(url, doc, who, rec, args.think, state)
            except Exception as error:  # any failure is an error of the test
                rec.error(user, f"{type(error).__name__}: {error}")
                state.pop("session", None)  # start again from a login
        if "session" in state:
            state["session"].close()

    log(
        f"… {name}: {len(users)} users, {args.warmup:g} s of warm-up, "
        f"then {args.duration:g} s measured"
    )
    threads = [
        threading.Thread(target=loop, args=user, name=user[0], daemon=True)
        for user in users
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(rec.start - time.monotonic(), 0))
    meter.begin()
    time.sleep(max(rec.end - time.monotonic(), 0))
    cores = meter.end()
    memory = {label: rss_mb(pids) for label, pids in processes.items()}
    for thread in threads:
        thread.join()
    total = sum(len(times) for times in rec.times.values())
    steps = {step: stats(times) for step, times in rec.times.items()}
    result = {
        "name": name,
        **(extra or {}),
        "users": len(users),
        "citizens": len(citizens),
        "agents": len(agents),
        "warmup": args.warmup,
        "duration": args.duration,
        "requests": total,
        "errors": rec.error_count,
        "error_samples": rec.errors,
        "throughput": total / args.duration,
        "all": stats([t for times in rec.times.values() for t in times]),
        "steps": beside_baseline(steps),
        "cpu_cores": cores,
        # requests per CPU second of the instances: their efficiency,
        # whatever share of the cores the other processes left them
        "requests_per_instance_cpu_s": (
            total / (cores["instances"] * args.duration)
            if cores.get("instances")
            else None
        ),
        "rss_mb": memory,
        "load_average_end": os.getloadavg(),
    }
    print_phase(result)
    return result


def print_phase(result):
    log(
        f"\n{result['name']}: {result['users']} users ({result['citizens']} "
        f"citizens, {result['agents']} agents), {result['duration']:g} s, "
        f"{result['requests']} requests, {result['errors']} errors, "
        f"{result['throughput']:.1f} req/s"
    )
    log(
        f"  {'step':<22} {'n':>6} {'median':>8} {'p95':>8}   "
        f"{'Document':>8} {'p95':>8}  {'p95 ratio':>9}"
    )
    rows = [*result["steps"].items(), ("(all)", result["all"])]
    for step, row in rows:
        if not row:
            continue
        beside = ""
        if "baseline" in row:
            beside = (
                f"{row['baseline_median']:>8.1f} {row['baseline_p95']:>8.1f}  "
                f"{row['p95_ratio']:>9.2f}"
            )
        log(
            f"  {step:<22} {row['n']:>6} {row['median']:>8.1f} {row['p95']:>8.1f}   "
            f"{beside}"
        )
    cores = ", ".join(f"{k} {v:.2f}" for k, v in result["cpu_cores"].items())
    log(f"  CPU (cores): {cores}")
    if result["requests_per_instance_cpu_s"]:
        log(
            "  requests per CPU second of the instances: "
            f"{result['requests_per_instance_cpu_s']:.1f}"
        )
    for label, sizes in result["rss_mb"].items():
        shown = ", ".join("?" if s is None else f"{s:.0f}" for s in sizes)
        log(f"  resident memory of {label}: {shown} MB")
    for problem in result["error_samples"]:
        log(f"  ERROR {problem}")


def print_scaling(result):
    if result is None:
        return
    low, high = result["throughput"]
    log(
        f"\nThroughput, {result['instances'][1]} instances / 1 (RelStorage, "
        f"HAProxy): {high:.1f} / {low:.1f} req/s = {result['ratio']:.2f}× "
        f"(target ≥ {result['target']:g}×) {result['verdict']}"
    )


def warm_instance(url, citizen_login, agent, password):
    """One round of a citizen, then of an agent, alone, on one instance before
    the load: its templates compiled one at a time (Chameleon compiling the
    same template in two threads at once failed under CPython 3.11 with
    « SystemError: AST constructor recursion depth mismatch », a 500)."""
    rec = Recorder(0, 0)  # records nothing: its window is over
    doc = ensure_document(url)
    citizen = Citizen(url, citizen_login, password)
    who = {"login": citizen_login, "password": password, "uid": citizen.uid}
    citizen_round(url, doc, who, rec, 0, {})
    agent_round(url, doc, dict(agent), rec, 0, {})


def relstorage_phases(site, manifest, citizens, agents, args):
    """The phases on RelStorage behind HAProxy, one per ``--instances``."""
    copy = RelStorageCopy(site, args.pg)
    copy.ensure(manifest)
    results = []
    options = cache_render_args(args.cache_local_mb)
    for count in args.instances:
        instances = copy.instances(count, args.threads, render_args=options)
        with ExitStack() as phase_stack:
            for instance in instances:
                log(f"… starting Zope on {instance.url} (RelStorage)")
                started = time.monotonic()
                try:
                    phase_stack.enter_context(instance)
                except ProcessError as error:
                    raise BenchError(str(error)) from error
                log(f"  up in {time.monotonic() - started:.1f} s")
                warm_instance(instance.url, citizens[0], agents[0], args.password)
            balancer = HAProxy(
                site.root / "relstorage" / "haproxy.cfg",
                free_port(),
                [("127.0.0.1", i.port) for i in instances],
                site.root / "relstorage" / "haproxy.log",
                balance=args.balance,
                maxconn=args.threads,
            )
            phase_stack.enter_context(balancer)
            log(f"  HAProxy ({args.balance}) on {balancer.url}")
            results.append(
                phase(
                    f"RelStorage, {count} instance{'s' if count > 1 else ''} "
                    "behind HAProxy",
                    balancer.url,
                    citizens,
                    agents,
                    args,
                    {
                        "instances": [i.process.pid for i in instances],
                        "haproxy": [balancer.process.pid],
                    },
                    {
                        "storage": "relstorage",
                        "instances": count,
                        "balance": args.balance,
                        "threads": args.threads,
                        "database": copy.name,
                        "cache_local_mb": args.cache_local_mb,
                    },
                )
            )
    return results


def parse_instances(text):
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("counts of instances such as 1,2")
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, required=True)
    parser.add_argument("--users", type=int, default=50, help="all users (50)")
    parser.add_argument("--agents", type=int, default=10, help="of which agents")
    parser.add_argument(
        "--duration", type=float, default=300, help="measured seconds per phase"
    )
    parser.add_argument(
        "--warmup", type=float, default=30, help="seconds before measuring"
    )
    parser.add_argument(
        "--instances",
        type=parse_instances,
        default=[1, 2],
        help="instances per RelStorage phase (1,2)",
    )
    parser.add_argument(
        "--filestorage",
        action="store_true",
        help="first a phase on the FileStorage instance alone (no HAProxy)",
    )
    parser.add_argument("--balance", choices=BALANCES, default="leastconn")
    parser.add_argument("--threads", type=int, default=4, help="per instance")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="fixed pause before each step after login (s)",
    )
    parser.add_argument(
        "--cache-local-mb",
        type=int,
        metavar="MB",
        help="RelStorage's pickle cache per instance (default: the template's)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", default="var/bench")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server (libpq)")
    parser.add_argument("--url", help="one phase against an instance serving the site")
    args = parser.parse_args(argv)
    if not 0 <= args.agents < args.users:
        parser.error("--agents must be less than --users")
    exit_on_sigterm()

    site = BenchSite(args.workdir, args.households, args.seed)
    result = {
        "households": args.households,
        "users": args.users,
        "agents": args.agents,
        "duration": args.duration,
        "warmup": args.warmup,
        "think": args.think,
        "clock": "client time: loopback request, queueing included",
        "citizen_round": list(CITIZEN_ROUND),
        "agent_round": list(AGENT_ROUND),
        "machine": machine_info(),
        "phases": [],
    }
    try:
        with ExitStack() as stack:
            if args.url:
                manifest = site.read_manifest()
                if not manifest:
                    raise BenchError(
                        f"no manifest {site.manifest_path}: run run.py "
                        "with --keep first, or give the right --workdir"
                    )
            else:
                stack.enter_context(MailSink(site))
                manifest = site.prepare()
            args.password = manifest["citizen_password"]
            agents = [
                manifest["agents"][n % len(manifest["agents"])]
                for n in range(args.agents)
            ]
            agents = [dict(agent) for agent in agents]
            if args.url:
                url = args.url.rstrip("/")
                citizens = choose_citizens(url, manifest, args.users - args.agents)
                result["phases"].append(
                    phase("Given instance", url, citizens, agents, args)
                )
            else:
                with Server(site) as server:
                    citizens = choose_citizens(
                        site.url, manifest, args.users - args.agents
                    )
                    warm_instance(site.url, citizens[0], agents[0], args.password)
                    if args.filestorage:
                        result["phases"].append(
                            phase(
                                "FileStorage, 1 instance (no HAProxy)",
                                site.url,
                                citizens,
                                agents,
                                args,
                                {"instances": [server.process.pid]},
                                {"storage": "filestorage", "instances": 1},
                            )
                        )
                log("  Zope stopped (FileStorage)")
                result["phases"] += relstorage_phases(
                    site, manifest, citizens, agents, args
                )
    except BenchError as error:
        log(f"\nFAILED: {error}")
        return 1
    result["scaling"] = scaling(
        (p["instances"], p["throughput"])
        for p in result["phases"]
        if p.get("storage") == "relstorage"
    )
    print_scaling(result["scaling"])
    result["machine"]["load_average_end"] = os.getloadavg()
    name = f"load-{args.households}"
    if args.cache_local_mb is not None:
        name += f"-cache{args.cache_local_mb}"
    write_json(RESULTS / f"{name}.json", result)
    errors = sum(p["errors"] for p in result["phases"])
    if errors:
        log(f"\nFAILED: {errors} error(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
