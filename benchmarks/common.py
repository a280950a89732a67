"""Shared helpers of ``benchmarks/run.py`` and ``benchmarks/load.py``.

- ``BenchSite``: the prepared site of one size, ``<workdir>/<N>/instance``
  and ``<workdir>/<N>/var`` (rendered by ``scripts/render_instance.py``,
  created by ``eservices-create-site``, filled by ``benchmarks/generate.py``,
  whose manifest ``<var>/generated.json`` it reads);
- ``MailSink`` and ``Server``: ``eservices-mailsink`` and ``runwsgi`` as
  subprocesses (``illkirch.eservices.cli.processes``), stopped on exit;
- logging in (the Plone login form for pages, ``POST /@login`` for REST),
  timing one request and checking its answer, statistics, machine info.

Not a script: imported by the benchmarks, which run from the repository's
root with ``.venv/bin/python benchmarks/<script>.py``.
"""

from datetime import datetime
from datetime import timezone
from illkirch.eservices.cli.processes import MailSinkProcess
from illkirch.eservices.cli.processes import ProcessError
from illkirch.eservices.cli.processes import ZopeProcess
from illkirch.eservices.cli.processes import free_port
from pathlib import Path
from urllib.parse import unquote

import binascii
import html
import json
import math
import os
import platform
import re
import signal
import statistics
import struct
import subprocess
import sys
import time


ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
RESULTS = BENCHMARKS / "results"
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python"
SITE_ID = "Plone"
ADMIN = ("admin", "admin")
JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
MANIFEST_KEYS = ("households", "citizen_password", "citizens", "agents",
                 "status_lookups")
# The baseline: a plain published Document with a few paragraphs.
DOC_ID = "benchmark-document"
DOC_TITLE = "Document de référence des mesures"
DOC_PARAGRAPHS = (
    "Cette page sert de référence aux mesures de performance du portail : une "
    "page Plone ordinaire, publiée, avec un titre et quelques paragraphes.",
    "La ville d'Illkirch-Graffenstaden propose ses démarches en ligne aux "
    "habitants : inscriptions, signalements, actes d'état civil et paiement des "
    "factures des régies municipales.",
    "Les temps des pages de « Mon espace » et du Guichet sont comparés à ceux de "
    "cette page, mesurés de la même façon, par le même utilisateur connecté.",
)


class BenchError(RuntimeError):
    """A step that did not answer what a user would get: the figures are void."""


def log(message):
    print(message, flush=True)


def exit_on_sigterm():
    """SIGTERM ends the benchmark like Ctrl-C: the ``finally`` blocks and the
    context managers stop the server and the mail sink."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def run_logged(command, logfile, what, env=None):
    """Run a command (a list), its output appended to ``logfile``."""
    log(f"… {what}")
    started = time.perf_counter()
    with open(logfile, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(map(str, command))}\n")
        out.flush()
        code = subprocess.run([str(part) for part in command], cwd=ROOT, stdout=out,
                              stderr=subprocess.STDOUT, env=env).returncode
    if code != 0:
        tail = Path(logfile).read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchError(f"{what} failed (exit {code}); end of {logfile}:\n{tail}")
    log(f"  done in {time.perf_counter() - started:.1f} s")


# the prepared site --------------------------------------------------------


class BenchSite:
    """The instance and data of one size: ``<workdir>/<households>/``."""

    def __init__(self, workdir, households, seed=2026):
        self.households = households
        self.seed = seed
        self.root = Path(workdir).resolve() / str(households)
        self.instance = self.root / "instance"
        self.var = self.root / "var"
        self.conf = self.instance / "etc" / "zope.conf"
        self.ini = self.instance / "etc" / "zope-bench.ini"
        self.manifest_path = self.var / "generated.json"
        self.logfile = self.root / "bench.log"
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/{SITE_ID}"

    @property
    def smtp_port(self):
        """The mail sink's port, kept: the site's registry stores it."""
        path = self.root / "smtp-port"
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            path.write_text(str(free_port()))
        return int(path.read_text())

    def render(self):
        """Write the instance's configuration (a new free port each time)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        run_logged([PYTHON, ROOT / "scripts" / "render_instance.py",
                    "--instance", self.instance, "--var", self.var,
                    "--http-host", "127.0.0.1", "--http-port", self.port],
                   self.logfile, f"rendering {self.instance} (port {self.port})",
                   # FileStorage, whatever ZODB_BACKEND says (docs/deployment.md)
                   env={k: v for k, v in os.environ.items() if k != "ZODB_BACKEND"})
        write_timing_ini(self.instance / "etc" / "zope.ini", self.ini)

    def read_manifest(self):
        if not self.manifest_path.exists():
            return None
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def prepare(self):
        """Render, create and fill the site unless it is ready; return the
        manifest. The mail sink must run (the site sends mail at commits)."""
        self.render()
        manifest = self.read_manifest()
        if (manifest and manifest.get("households") == self.households
                and manifest.get("seed", self.seed) == self.seed):
            log(f"Reusing the site of {self.households} households in {self.root}")
        else:
            run_logged([BIN / "eservices-create-site", "-c", self.conf,
                        "--admin", ":".join(ADMIN), "--smtp-port", self.smtp_port],
                       self.logfile, "creating the site (if absent)")
            generate = BENCHMARKS / "generate.py"
            if not generate.exists():
                raise BenchError(f"{generate} is missing: it fills the site")
            run_logged([PYTHON, generate, "-c", self.conf,
                        "--households", self.households, "--seed", self.seed],
                       self.logfile, f"generating {self.households} households "
                       "(resumable; long for large sizes)")
            manifest = self.read_manifest()
        check_manifest(manifest, self.manifest_path)
        return manifest


def check_manifest(manifest, path):
    if not manifest:
        raise BenchError(f"no manifest {path}")
    missing = [key for key in MANIFEST_KEYS if not manifest.get(key)]
    if missing:
        raise BenchError(f"{path} lacks {', '.join(missing)}")


def write_timing_ini(source, target):
    """The instance's zope.ini with ``benchmarks/server_timing.py`` first in
    its pipeline (a ``Server-Timing`` header on every answer)."""
    text = Path(source).read_text(encoding="utf-8")
    timed = text.replace("[pipeline:main]\npipeline =\n",
                         "[pipeline:main]\npipeline =\n    server_timing\n", 1)
    if timed == text:
        raise BenchError(f"no '[pipeline:main]' to extend in {source}")
    timed += ("\n[filter:server_timing]\n"
              "# benchmarks/server_timing.py (PYTHONPATH=benchmarks)\n"
              "use = call:server_timing:filter_factory\n")
    Path(target).write_text(timed, encoding="utf-8")


# processes ----------------------------------------------------------------


class MailSink(MailSinkProcess):
    """The site's mail sink, on the port its registry knows."""

    def __init__(self, site):
        super().__init__(site.var / "mail", site.smtp_port, site.logfile)

    def start(self):
        try:
            return super().start()
        except ProcessError as error:
            raise BenchError(str(error)) from error


class Server(ZopeProcess):
    """``runwsgi zope-bench.ini``: the instance with its default threads."""

    def __init__(self, site):
        super().__init__(site.ini, site.url, site.logfile,
                         env={"PYTHONPATH": str(BENCHMARKS)})

    def start(self):
        log(f"… starting Zope on {self.url}")
        started = time.monotonic()
        try:
            super().start(timeout=300)
        except ProcessError as error:
            raise BenchError(str(error)) from error
        log(f"  up in {time.monotonic() - started:.1f} s")
        return self


# users --------------------------------------------------------------------


def login_form(login, password):
    """The fields of Plone's login form (``POST <site>/login``)."""
    return {"__ac_name": login, "__ac_password": password,
            "buttons.login": "Se connecter", "form.widgets.came_from": ""}


def logged_in(response):
    """``timed`` check of a login form's answer: the session cookie is set."""
    if "__ac" not in response.cookies:
        return "login refused (no __ac cookie)"
    return None


def page_session(url, login, password):
    """A browser-like session logged in with Plone's login form (cookie)."""
    import requests

    session = requests.Session()
    timed(session, "POST", f"{url}/login", f"login of {login}", status=302,
          data=login_form(login, password), check=logged_in)
    return session


def rest_session(url, login=None, password=None):
    """A JSON session, logged in with a JWT from ``POST /@login`` if asked."""
    import requests

    session = requests.Session()
    session.headers.update(JSON_HEADERS)
    if login:
        response = session.post(f"{url}/@login", json={"login": login,
                                                       "password": password},
                                timeout=120)
        if response.status_code != 200:
            raise BenchError(f"REST login of {login} failed ({response.status_code})")
        session.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return session


BASKET_ADDED = "La facture est dans votre panier."
BASKET_REMOVED = "La facture n'est plus dans votre panier."


def status_messages(response):
    """The texts of the status messages a response sets (Plone's
    ``statusmessages`` cookie: base64 of, per message, a 2-byte header, 11
    bits of text length and 5 of type length, then the text and the type)."""
    value = unquote(response.cookies.get("statusmessages", "").strip('"'))
    try:
        data = binascii.a2b_base64(value)
    except binascii.Error:
        return []
    texts = []
    while len(data) > 1:
        (size,) = struct.unpack("!H", data[:2])
        end = 2 + (size >> 5)
        texts.append(data[2:end].decode("utf-8", "replace"))
        data = data[end + (size & 31):]
    return texts


def shows(text):
    """``timed`` check: the answer sets the status message ``text``."""
    return lambda response: (None if text in status_messages(response)
                             else f"no message « {text} »: "
                                  f"{status_messages(response)!r}")


def forget_status_messages(session):
    """Drop Plone's status message cookie (set by the basket's POSTs): a
    browser would show it on the next page, which our timing leaves out."""
    for cookie in list(session.cookies):
        if cookie.name == "statusmessages":
            session.cookies.clear(cookie.domain, cookie.path, cookie.name)


def tab_check(title):
    """``timed`` check: the page is the tab ``title`` of « Mon espace »."""
    marker = f'id="eservices-tab-title">{title}<'
    return lambda response: None if marker in response.text else f"no tab « {title} »"


def basket_form(page):
    """``(authenticator, [uid of each « Régie Ville » invoice to pay])`` from
    the page « Mes comptes » (the forms « Ajouter au panier »)."""
    unpaid = page.split('id="releve"')[0]
    token = re.search(r'name="_authenticator" value="([^"]+)"', unpaid)
    uids = []
    for row in re.findall(r"<tr>(.*?)</tr>", unpaid, re.S):
        uid = re.search(r'name="uid" value="([^"]+)"', row)
        if uid and "Régie Ville" in html.unescape(row):
            uids.append(uid.group(1))
    return (token.group(1) if token else None), uids


def empty_basket(rest, url):
    """Take every invoice out of the citizen's basket (``/@cart``)."""
    basket = rest.get(f"{url}/@cart", timeout=120)
    if basket.status_code != 200:
        raise BenchError(f"GET /@cart answered {basket.status_code}")
    for item in basket.json().get("items", []):
        answer = rest.delete(f"{url}/@cart/{item['uid']}", timeout=120)
        if answer.status_code >= 300:
            raise BenchError(f"DELETE /@cart/… answered {answer.status_code}")


def ensure_document(url):
    """The baseline Document, created and published as admin (idempotent)."""
    import requests

    admin = requests.Session()
    admin.auth = ADMIN
    admin.headers.update(JSON_HEADERS)
    answer = admin.get(f"{url}/{DOC_ID}", timeout=120)
    if answer.status_code == 404:
        text = "".join(f"<p>{p}</p>" for p in DOC_PARAGRAPHS)
        answer = admin.post(url, timeout=120, json={
            "@type": "Document", "id": DOC_ID, "title": DOC_TITLE,
            "description": "Page de référence des mesures.",
            "text": {"data": text, "content-type": "text/html", "encoding": "utf-8"}})
        if answer.status_code != 201:
            raise BenchError(f"creating the Document: {answer.status_code} "
                             f"{answer.text}")
        answer = admin.get(f"{url}/{DOC_ID}", timeout=120)
    if answer.status_code != 200:
        raise BenchError(f"reading the Document as admin: {answer.status_code}")
    if answer.json().get("review_state") != "published":
        published = admin.post(f"{url}/{DOC_ID}/@workflow/publish", timeout=120)
        if published.status_code != 200:
            raise BenchError(f"publishing the Document: {published.status_code}")
    return f"{url}/{DOC_ID}"


class Citizen:
    """A manifest citizen: a page session (cookie), a REST session (JWT),
    the CSRF token of « Mes comptes » and a « ville » invoice that the basket
    accepts (tried once: an invoice in a payment in progress is refused)."""

    def __init__(self, url, login, password):
        self.url = url
        self.login = login
        self.page = page_session(url, login, password)
        self.rest = rest_session(url, login, password)
        empty_basket(self.rest, url)
        html = self.page.get(f"{url}/@@mon-espace-factures", timeout=120).text
        self.token, uids = basket_form(html)
        self.uid = next((uid for uid in uids if self.add(uid)[0]), None)
        if not (self.token and self.uid):
            raise BenchError(f"{login}: no « Régie Ville » invoice that the basket "
                             "accepts in « Mes comptes » (or no form token)")
        self.remove()

    def add(self, uid=None):
        """POST the form « Ajouter au panier »; ``(accepted, response, client
        ms, server ms)``."""
        response, client, server = timed(
            self.page, "POST", f"{self.url}/@@panier-ajouter", "basket add",
            status=302, data={"_authenticator": self.token, "uid": uid or self.uid})
        accepted = BASKET_ADDED in status_messages(response)
        forget_status_messages(self.page)
        return accepted, response, client, server

    def remove(self):
        timed(self.page, "POST", f"{self.url}/@@panier-retirer", "basket remove",
              status=302, data={"_authenticator": self.token, "uid": self.uid},
              check=shows(BASKET_REMOVED))
        forget_status_messages(self.page)


# timing -------------------------------------------------------------------


def timed(session, method, url, label, status=200, texts=(), check=None, **kwargs):
    """Send one request; return ``(response, client_ms, server_ms)``.

    ``client_ms``: ``perf_counter`` around the loopback request (body read);
    ``server_ms``: Zope's own time from ``Server-Timing``, None without it.
    Raise BenchError when the status, a text or ``check(response)`` fails.
    """
    kwargs.setdefault("timeout", 120)
    kwargs.setdefault("allow_redirects", False)
    started = time.perf_counter()
    response = session.request(method, url, **kwargs)
    client_ms = (time.perf_counter() - started) * 1000
    problem = None
    if response.status_code != status:
        problem = f"status {response.status_code}, expected {status}"
    else:
        text = html.unescape(response.text) if texts else ""
        missing = [t for t in texts if t not in text]
        if missing:
            problem = f"not the expected page: {missing!r} not found"
        elif check is not None:
            problem = check(response)
    if problem:
        raise BenchError(f"{label}: {method} {url}: {problem}\n"
                         f"{response.text[:500]}")
    match = re.search(r"zope;dur=([0-9.]+)", response.headers.get("Server-Timing", ""))
    return response, client_ms, (float(match.group(1)) if match else None)


def stats(values):
    """median, p95 (nearest rank), mean, min, max of a list of milliseconds."""
    values = sorted(values)
    if not values:
        return None
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": values[max(math.ceil(0.95 * len(values)) - 1, 0)],
        "mean": statistics.fmean(values),
        "min": values[0],
        "max": values[-1],
    }


# context ------------------------------------------------------------------


def machine_info():
    from importlib.metadata import version

    def cpu_model():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
        return platform.processor() or "unknown"

    def ram_gb():
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 ** 2, 1)
        return None

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                                  text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": ram_gb(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "plone": version("Products.CMFPlone"),
        "zope": version("Zope"),
        "plone.restapi": version("plone.restapi"),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "platform": platform.platform(),
        "argv": sys.argv,
    }


def shown(path):
    """A path as printed: relative to the repository when inside it."""
    path = Path(path)
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def write_json(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    log(f"wrote {shown(path)}")
