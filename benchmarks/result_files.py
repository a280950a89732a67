"""What a result file of ``benchmarks/results/`` records besides the
figures (the machine, the versions, the commit), and the writing of one."""

from datetime import UTC
from datetime import datetime
from pathlib import Path
from paths import ROOT
from paths import shown
from progress import log

import json
import os
import platform
import subprocess
import sys


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
                return round(int(line.split()[1]) / 1024**2, 1)
        return None

    def git(*args):
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
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


def write_json(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log(f"wrote {shown(path)}")
