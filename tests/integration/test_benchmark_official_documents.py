"""The official documents' benchmark (``benchmarks/official_documents.py``,
run by ``benchmarks/run.py``): its figures for a small count."""

from illkirch.eservices.official_documents import pdf
from illkirch.eservices.testing import INTEGRATION_TESTING
from pathlib import Path

import contextlib
import importlib.util
import io
import sys
import unittest


BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load_benchmark():
    """``benchmarks/official_documents.py`` (benchmarks/ is not on the
    path: its sibling modules are found while it loads)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(
            "benchmark_official_documents", BENCHMARKS / "official_documents.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


benchmark = load_benchmark()


class TestPdfBenchmark(unittest.TestCase):
    layer = INTEGRATION_TESTING

    def test_times_each_kind_and_prints_them(self):
        before = pdf.RENDERS["count"]
        result = benchmark.measure(count=2)
        self.assertEqual(set(result), set(benchmark.KINDS))
        for kind, figures in result.items():
            self.assertEqual(figures["stats"]["n"], 2, kind)
            self.assertGreater(figures["stats"]["median"], 0, kind)
            self.assertGreaterEqual(figures["pages"], 1, kind)
            self.assertGreater(figures["bytes"], 1000, kind)
        # A warm-up and two timed documents of each kind.
        self.assertEqual(pdf.RENDERS["count"] - before, 9)
        self.assertFalse(pdf.in_issuing())
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            benchmark.print_result(result)
        self.assertIn("payment certificate (5 invoices): median", output.getvalue())
        self.assertEqual(output.getvalue().count("over 2 documents"), 3)
