"""The pure logic of the load test and the memory comparison
(``benchmarks/load.py``, ``balancer.py``, ``relstorage_site.py``,
``memory.py``): HAProxy's configuration, the verdicts, the Document view
beside each step; and the benchmark's databases on the test PostgreSQL
server (``make postgres``). No Zope, no timing."""

from pathlib import Path

import importlib
import sys
import unittest


BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name):
    """A module of benchmarks/ (not on the path: its siblings are found while
    it loads)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


balancer = load("balancer")
load_test = load("load")
memory = load("memory")
relstorage_site = load("relstorage_site")


class TestHAProxyConfig(unittest.TestCase):
    def test_frontend_backend_checks_and_queue(self):
        text = balancer.haproxy_config(
            8400, [("127.0.0.1", 9001), ("127.0.0.1", 9002)], "roundrobin", 4
        )
        self.assertIn("    bind 127.0.0.1:8400\n", text)
        self.assertIn("    balance roundrobin\n", text)
        self.assertIn("    option httpchk GET /Plone/@@ok\n", text)
        self.assertIn("    http-check expect status 200\n", text)
        self.assertIn(
            "    server zope1 127.0.0.1:9001 check inter 2s fall 3 rise 1 maxconn 4\n",
            text,
        )
        self.assertIn("    server zope2 127.0.0.1:9002 check", text)
        self.assertIn("    mode http\n", text)
        # the requests over the servers' maxconn wait in HAProxy's queue
        self.assertIn("    timeout queue 300s\n", text)

    def test_one_server_and_defaults(self):
        text = balancer.haproxy_config(8400, [("127.0.0.1", 9001)], site="Site")
        self.assertIn("    balance leastconn\n", text)
        self.assertIn("GET /Site/@@ok", text)
        self.assertEqual(text.count("    server "), 1)

    def test_refuses_an_unknown_balance_or_no_server(self):
        with self.assertRaises(ValueError):
            balancer.haproxy_config(8400, [("127.0.0.1", 9001)], "random")
        with self.assertRaises(ValueError):
            balancer.haproxy_config(8400, [])


class TestScaling(unittest.TestCase):
    def test_ratio_of_the_most_instances_over_one(self):
        result = load_test.scaling([(1, 20.0), (2, 34.0)])
        self.assertEqual(result["instances"], [1, 2])
        self.assertAlmostEqual(result["ratio"], 1.7)
        self.assertEqual(result["verdict"], "PASS")
        self.assertEqual(result["target"], 1.6)

    def test_miss_below_the_target(self):
        self.assertEqual(load_test.scaling([(1, 20.0), (2, 30.0)])["verdict"], "MISS")
        self.assertEqual(
            load_test.scaling([(2, 32.0), (1, 20.0)], target=1.6)["verdict"], "PASS"
        )

    def test_none_without_both_phases(self):
        self.assertIsNone(load_test.scaling([(1, 20.0)]))
        self.assertIsNone(load_test.scaling([(2, 20.0)]))
        self.assertIsNone(load_test.scaling([]))


class TestBesideBaseline(unittest.TestCase):
    def test_each_step_beside_the_document_view_of_its_role(self):
        figures = {
            "accueil": {"n": 3, "median": 60.0, "p95": 90.0},
            "document (citizen)": {"n": 3, "median": 30.0, "p95": 60.0},
            "guichet": {"n": 3, "median": 100.0, "p95": 200.0},
            "document (agent)": {"n": 3, "median": 50.0, "p95": 100.0},
        }
        rows = load_test.beside_baseline(figures)
        self.assertEqual(rows["accueil"]["baseline"], "document (citizen)")
        self.assertEqual(rows["accueil"]["median_ratio"], 2.0)
        self.assertEqual(rows["accueil"]["p95_ratio"], 1.5)
        self.assertEqual(rows["guichet"]["baseline"], "document (agent)")
        self.assertEqual(rows["guichet"]["p95_ratio"], 2.0)
        self.assertNotIn("baseline", rows["document (citizen)"])

    def test_a_step_without_its_baseline_has_no_ratio(self):
        rows = load_test.beside_baseline({"guichet": {"n": 1, "median": 1, "p95": 1}})
        self.assertNotIn("p95_ratio", rows["guichet"])


class TestGuichetRow(unittest.TestCase):
    def test_first_request_of_the_table(self):
        page = (
            '<table><tr><th><a href="x?sort=number">N°</a></th></tr>'
            '<tr id="demande-2026-000042" class="a">\n<td>'
            '<a class="text-nowrap" href="http://h/Plone/f/r?a=1&amp;b=2">'
            "2026-000042</a></td></tr>"
            '<tr id="demande-2026-000043"><td><a href="other">2026-000043</a>'
        )
        self.assertEqual(
            load_test.guichet_first_request(page),
            ("2026-000042", "http://h/Plone/f/r?a=1&b=2"),
        )
        self.assertIsNone(load_test.guichet_first_request("<table></table>"))


class TestMemoryVerdict(unittest.TestCase):
    def test_ratio_and_verdict(self):
        self.assertEqual(memory.verdict(450.0, 300.0), (1.5, "PASS"))
        ratio, verdict = memory.verdict(460.0, 300.0)
        self.assertEqual(verdict, "MISS")
        self.assertGreater(ratio, 1.5)

    def test_requests_counted_from_the_access_log(self):
        import tempfile

        lines = (
            '127.0.0.1 - - [06/Dec/2026:23:57:10 +0000] "GET /Plone HTTP/1.1" 200\n'
            '127.0.0.1 - a [06/Dec/2026:23:59:00 +0000] "GET /Plone/x HTTP/1.1" 200\n'
            "a line without a date\n"
            '127.0.0.1 - - [07/Dec/2026:00:59:00 +0100] "GET /Plone/y HTTP/1.1" 200\n'
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "access.log"
            path.write_text(lines, encoding="utf-8")
            from datetime import datetime

            since = datetime.fromisoformat("2026-12-06T23:58:00+00:00").timestamp()
            self.assertEqual(memory.requests_since(path, since), 2)
            self.assertEqual(memory.requests_since(Path(folder) / "none", since), 0)


class TestRelStorageCopy(unittest.TestCase):
    def test_database_name_of_its_own_per_site(self):
        first = relstorage_site.database_name(Path("/tmp/a-bench/1000"))
        second = relstorage_site.database_name(Path("/tmp/b-bench/1000"))
        self.assertTrue(first.startswith("eservices_load_1000_"))
        self.assertNotEqual(first, second)
        self.assertEqual(
            first, relstorage_site.database_name(Path("/tmp/a-bench/1000"))
        )

    def test_identity_of_the_site_copied(self):
        manifest = {"households": 200, "seed": 2026, "generated_at": "x", "other": 1}
        self.assertEqual(
            relstorage_site.source_identity(manifest),
            relstorage_site.source_identity({**manifest, "other": 2}),
        )
        self.assertNotEqual(
            relstorage_site.source_identity(manifest),
            relstorage_site.source_identity({**manifest, "generated_at": "y"}),
        )

    def test_zodbconvert_config_copies_the_blobs_history_free(self):
        text = relstorage_site.zodbconvert_config(
            "/v/Data.fs", "/v/blobstorage", "host=h dbname=d", "/r/cache"
        )
        self.assertIn("<filestorage source>", text)
        self.assertIn("blob-dir /v/blobstorage", text)
        self.assertIn("<relstorage destination>", text)
        self.assertIn("keep-history false", text)
        self.assertIn("dsn host=h dbname=d", text)


class TestBenchmarkDatabases(unittest.TestCase):
    """``relstorage_site.create_database`` on the test server: created, kept,
    made again empty with ``replace``."""

    def setUp(self):
        from illkirch.eservices.testing.cluster import SERVER_DSN
        from illkirch.eservices.testing.cluster import Database

        self.server = SERVER_DSN
        self.database = Database("eservices_benchdb")
        self.addCleanup(self.database.drop)

    def tables(self):
        connection = relstorage_site.pg_connect(self.server, self.database.name)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT tablename FROM pg_tables WHERE tablename = 'k'")
                return [row[0] for row in cursor.fetchall()]
        finally:
            connection.close()

    def test_created_kept_replaced(self):
        create, name = relstorage_site.create_database, self.database.name
        self.assertFalse(relstorage_site.database_exists(self.server, name))
        self.assertTrue(create(self.server, name))
        self.assertTrue(relstorage_site.database_exists(self.server, name))
        connection = relstorage_site.pg_connect(self.server, name)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE k (v text)")
        connection.close()
        self.assertFalse(create(self.server, name))
        self.assertEqual(self.tables(), ["k"])
        self.assertTrue(create(self.server, name, replace=True))
        self.assertEqual(self.tables(), [])


class TestBareSite(unittest.TestCase):
    def test_on_relstorage_it_has_a_folder_and_a_database_of_its_own(self):
        self.assertEqual(memory.BareSite("/tmp/w").root, Path("/tmp/w/bare"))
        bare = memory.BareSite("/tmp/w", "host=h", ["--cache-local-mb", "50"])
        self.assertEqual(bare.root, Path("/tmp/w/bare-relstorage"))
        self.assertEqual(bare.render_args, ("--cache-local-mb", "50"))
        name = relstorage_site.database_name(bare.root, prefix="eservices_bare")
        self.assertRegex(name, r"^eservices_bare_bare-relstorage_[0-9a-f]{8}$")
        self.assertNotEqual(name, relstorage_site.database_name(bare.root))


ZMI_DATABASE = """
<tr><td>Total number of objects in the database</td>
<td class="code">123456</td></tr>
<tr><td>Total number of objects in memory from all caches</td>
<td class="code">4567</td></tr>
<tr><td>Target number of objects in memory per cache</td>
<td class="code">30000</td></tr>
<tr><td>Target memory size per cache in bytes</td>
<td class="code">33554432</td></tr>
<tbody>
<tr><td>&lt;Connection at 7f&gt;</td>
<td class="code">4000</td>
<td class="code">9000</td></tr>
<tr><td>&lt;Connection at 8f&gt;</td>
<td class="code">567</td>
<td class="code">1200</td></tr>
"""


class TestZodbFigures(unittest.TestCase):
    def test_figures_of_zopes_database_page(self):
        figures = memory.cache_figures(ZMI_DATABASE)
        self.assertEqual(figures["objects_in_database"], 123456)
        self.assertEqual(figures["objects_in_memory"], 4567)
        self.assertEqual(figures["cache_size"], 30000)
        self.assertEqual(figures["cache_size_bytes"], 32 * 2**20)
        self.assertEqual(figures["connections"], [[4000, 9000], [567, 1200]])

    def test_memory_per_object(self):
        addon = {"rss_mb": 300.0, "zodb": {"objects_in_memory": 12240}}
        bare = {"rss_mb": 200.0, "zodb": {"objects_in_memory": 2000}}
        self.assertAlmostEqual(memory.per_object_kb(addon, bare), 10.0)
        self.assertIsNone(memory.per_object_kb(addon, {"rss_mb": 1.0, "zodb": None}))
