"""Where the benchmarks find the repository, its virtualenv and their
results, and how they print a path."""

from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
RESULTS = BENCHMARKS / "results"
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python"


def shown(path):
    """A path as printed: relative to the repository when inside it."""
    path = Path(path)
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
