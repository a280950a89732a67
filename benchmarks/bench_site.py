"""The prepared site of one size: ``<workdir>/<N>/instance`` and
``<workdir>/<N>/var``, rendered by ``scripts/render_instance.py``, created by
``eservices-create-site``, filled by ``benchmarks/generate.py``, whose
manifest ``<var>/generated.json`` it reads."""

from errors import BenchError
from illkirch.eservices.cli.processes import free_port
from pathlib import Path
from paths import BENCHMARKS
from paths import BIN
from paths import PYTHON
from paths import ROOT
from progress import log

import json
import os
import subprocess
import time


SITE_ID = "Plone"
ADMIN = ("admin", "admin")
MANIFEST_KEYS = (
    "households",
    "citizen_password",
    "citizens",
    "agents",
    "status_lookups",
)


def run_logged(command, logfile, what, env=None):
    """Run a command (a list), its output appended to ``logfile``."""
    log(f"… {what}")
    started = time.perf_counter()
    with open(logfile, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(map(str, command))}\n")
        out.flush()
        code = subprocess.run(
            [str(part) for part in command],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        ).returncode
    if code != 0:
        tail = Path(logfile).read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchError(f"{what} failed (exit {code}); end of {logfile}:\n{tail}")
    log(f"  done in {time.perf_counter() - started:.1f} s")


def render_command(instance, var, port):
    """``scripts/render_instance.py`` for a loopback instance on ``port``."""
    return [
        PYTHON,
        ROOT / "scripts" / "render_instance.py",
        "--instance",
        instance,
        "--var",
        var,
        "--http-host",
        "127.0.0.1",
        "--http-port",
        port,
    ]


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
        run_logged(
            render_command(self.instance, self.var, self.port),
            self.logfile,
            f"rendering {self.instance} (port {self.port})",
            # FileStorage, whatever ZODB_BACKEND says (docs/deployment.md)
            env={k: v for k, v in os.environ.items() if k != "ZODB_BACKEND"},
        )
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
        if (
            manifest
            and manifest.get("households") == self.households
            and manifest.get("seed", self.seed) == self.seed
        ):
            log(f"Reusing the site of {self.households} households in {self.root}")
            run_logged(
                [PYTHON, BENCHMARKS / "upgrade_site.py", "-c", self.conf],
                self.logfile,
                "upgrading the site to the current profile (if behind)",
            )
        else:
            run_logged(
                [
                    BIN / "eservices-create-site",
                    "-c",
                    self.conf,
                    "--admin",
                    ":".join(ADMIN),
                    "--smtp-port",
                    self.smtp_port,
                ],
                self.logfile,
                "creating the site (if absent)",
            )
            generate = BENCHMARKS / "generate.py"
            if not generate.exists():
                raise BenchError(f"{generate} is missing: it fills the site")
            run_logged(
                [
                    PYTHON,
                    generate,
                    "-c",
                    self.conf,
                    "--households",
                    self.households,
                    "--seed",
                    self.seed,
                ],
                self.logfile,
                f"generating {self.households} households "
                "(resumable; long for large sizes)",
            )
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
    timed = text.replace(
        "[pipeline:main]\npipeline =\n",
        "[pipeline:main]\npipeline =\n    server_timing\n",
        1,
    )
    if timed == text:
        raise BenchError(f"no '[pipeline:main]' to extend in {source}")
    timed += (
        "\n[filter:server_timing]\n"
        "# benchmarks/server_timing.py (PYTHONPATH=benchmarks)\n"
        "use = call:server_timing:filter_factory\n"
    )
    Path(target).write_text(timed, encoding="utf-8")
