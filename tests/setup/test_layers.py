"""The layers contract (pyproject.toml, [tool.importlinter]) holds on the
tree, and the check fails on an upward import."""

from pathlib import Path

import os
import shutil
import subprocess
import sys
import tempfile
import unittest


ROOT = Path(__file__).resolve().parents[2]
UPWARD = "illkirch.eservices.content.indexers -> illkirch.eservices.browser"


def lint_imports(root):
    """Run import-linter with this interpreter on the tree at ``root`` (its
    ``src`` first on the path; also under buildout's bin/test, whose eggs
    are on sys.path only)."""
    path = [str(root / "src"), *(p for p in sys.path if p)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    command = (
        "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())"
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            command,
            "--no-cache",
            "--config",
            str(root / "pyproject.toml"),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )


def lint_imports_with(module, line):
    """Run import-linter on a copy of the tree where ``module`` (a path under
    the package) gets ``line`` appended."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        shutil.copy(ROOT / "pyproject.toml", copy)
        shutil.copytree(
            ROOT / "src" / "illkirch",
            copy / "src" / "illkirch",
            ignore=shutil.ignore_patterns("__pycache__", "locales"),
        )
        path = copy / "src/illkirch/eservices" / module
        path.write_text(path.read_text() + f"\n{line}  # noqa\n")
        return lint_imports(copy)


class TestLayers(unittest.TestCase):
    def test_contracts_kept(self):
        result = lint_imports(ROOT)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Contracts: 2 kept, 0 broken.", result.stdout)

    def test_upward_import_breaks_it(self):
        result = lint_imports_with(
            "content/indexers.py", "import illkirch.eservices.browser"
        )
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(UPWARD, " ".join(result.stdout.split()))
        self.assertIn("Contracts: 1 kept, 1 broken.", result.stdout)

    def test_endpoint_importing_another_breaks_it(self):
        result = lint_imports_with(
            "restapi/basket/get.py", "import illkirch.eservices.restapi.invoices.get"
        )
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(
            "illkirch.eservices.restapi.basket.get -> "
            "illkirch.eservices.restapi.invoices.get",
            " ".join(result.stdout.split()),
        )
        self.assertIn("Contracts: 1 kept, 1 broken.", result.stdout)
