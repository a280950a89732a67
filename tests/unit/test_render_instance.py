"""``scripts/render_instance.py``: the ZODB caches' bounds in every storage
template, and RelStorage's pickle cache (docs/deployment.md, « The ZODB
caches »)."""

from pathlib import Path

import importlib.util
import os
import tempfile
import unittest


SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_instance.py"


def render_instance():
    spec = importlib.util.spec_from_file_location("render_instance", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestCacheBounds(unittest.TestCase):
    def render(self, *args, env=None):
        folder = Path(tempfile.mkdtemp())
        argv = ["--instance", str(folder / "i"), "--var", str(folder / "v"), *args]
        saved = dict(os.environ)
        os.environ.pop("ZODB_CACHE_SIZE", None)
        os.environ.pop("ZODB_CACHE_SIZE_BYTES", None)
        os.environ.pop("ZODB_CACHE_LOCAL_MB", None)
        os.environ.update(env or {})
        try:
            render_instance().main(argv)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return (folder / "i" / "etc" / "zope.conf").read_text(encoding="utf-8")

    def test_defaults_count_objects_and_set_no_byte_bound(self):
        conf = self.render("--zodb-backend", "filestorage")
        self.assertIn("  cache-size 30000\n  cache-size-bytes 0\n", conf)

    def test_options_and_environment(self):
        conf = self.render("--zodb-backend", "zeo", "--cache-size-bytes", "64MB")
        self.assertIn("  cache-size 30000\n  cache-size-bytes 64MB\n", conf)
        conf = self.render(
            "--zodb-backend",
            "relstorage",
            "--dsn",
            "dbname=x",
            env={"ZODB_CACHE_SIZE": "10000", "ZODB_CACHE_SIZE_BYTES": "32MB"},
        )
        self.assertIn("  cache-size 10000\n  cache-size-bytes 32MB\n", conf)

    def test_relstorage_pickle_cache(self):
        relstorage = ("--zodb-backend", "relstorage", "--dsn", "dbname=x")
        self.assertIn("    cache-local-mb 200\n", self.render(*relstorage))
        conf = self.render(*relstorage, "--cache-local-mb", "50")
        self.assertIn("    cache-local-mb 50\n", conf)
        self.assertNotIn("cache-local-mb 200", conf)
        conf = self.render(*relstorage, env={"ZODB_CACHE_LOCAL_MB": "100"})
        self.assertIn("    cache-local-mb 100\n", conf)
        # not a setting of the other storages
        self.assertNotIn("cache-local-mb", self.render("--zodb-backend", "zeo"))
