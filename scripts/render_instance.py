"""Write the Zope instance configuration from the templates in the repository.

    python scripts/render_instance.py [--http-port 8080] [--instance instance]
        [--zodb-backend filestorage|zeo|relstorage] [--dsn "host=... dbname=..."]
        [--jobs-backend sqlite|redis] [--jobs-redis-url redis://...]
        [--cache-size 30000] [--cache-size-bytes 0] [--cache-local-mb 200]

Reads ``templates/instance/*.in`` and writes ``<instance>/etc/`` with the
placeholders ``{{NAME}}`` replaced; the database section of zope.conf comes
from ``templates/storage/<backend>.conf`` (``zeo``: the FileStorage of
``var/`` served by a ZEO server on a Unix socket, whose configuration is
written to ``etc/zeo.conf``, so that Zope and the jobs' worker share it).
The queue of the background jobs goes into zope.conf's environment
(``JOBS_BACKEND``: SQLite in ``var/jobs.sqlite`` or Redis). Creates the
``var/`` folders the instance uses (FileStorage or blob cache, logs, mail).
Existing data is never touched.

The backend and the PostgreSQL DSN default to the environment variables
``ZODB_BACKEND`` (``filestorage`` when unset) and ``ZODB_DSN``, the jobs'
to ``JOBS_BACKEND`` (``sqlite``) and ``JOBS_REDIS_URL``, the ZODB caches'
bounds to ``ZODB_CACHE_SIZE`` and ``ZODB_CACHE_SIZE_BYTES``, RelStorage's
pickle cache to ``ZODB_CACHE_LOCAL_MB`` (docs/deployment.md).
"""

from pathlib import Path

import argparse
import os
import re
import sys


ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "instance"
STORAGES = ROOT / "templates" / "storage"
BACKENDS = ("filestorage", "zeo", "relstorage")
JOBS_BACKENDS = ("sqlite", "redis")


def render(text, values):
    def replace(match):
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for {{{{{name}}}}}")
        return str(values[name])

    return re.sub(r"\{\{([A-Z_]+)\}\}", replace, text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", default=str(ROOT / "instance"))
    parser.add_argument("--var", default=str(ROOT / "var"))
    parser.add_argument("--http-host", default="0.0.0.0")
    parser.add_argument("--http-port", default="8080")
    parser.add_argument("--threads", default="4")
    parser.add_argument("--debug-mode", default="off", choices=["on", "off"])
    parser.add_argument(
        "--zodb-backend",
        choices=BACKENDS,
        default=os.environ.get("ZODB_BACKEND") or "filestorage",
    )
    parser.add_argument(
        "--dsn",
        default=os.environ.get("ZODB_DSN", ""),
        help="libpq connection string of the RelStorage database",
    )
    parser.add_argument(
        "--blob-cache-size", default=os.environ.get("ZODB_BLOB_CACHE_SIZE") or "1gb"
    )
    parser.add_argument(
        "--cache-size",
        default=os.environ.get("ZODB_CACHE_SIZE") or "30000",
        help="objects each ZODB connection keeps (docs/deployment.md)",
    )
    parser.add_argument(
        "--cache-size-bytes",
        default=os.environ.get("ZODB_CACHE_SIZE_BYTES") or "0",
        help="the same bound in bytes of pickles, e.g. 64MB (0: none)",
    )
    parser.add_argument(
        "--cache-local-mb",
        default=os.environ.get("ZODB_CACHE_LOCAL_MB") or "200",
        help="RelStorage: the pickle cache its connections share, in MB",
    )
    parser.add_argument(
        "--jobs-backend",
        choices=JOBS_BACKENDS,
        default=os.environ.get("JOBS_BACKEND") or "sqlite",
    )
    parser.add_argument(
        "--jobs-redis-url",
        default=os.environ.get("JOBS_REDIS_URL") or "redis://127.0.0.1:6379/0",
    )
    args = parser.parse_args(argv)
    if args.zodb_backend == "relstorage" and not args.dsn.strip():
        parser.error(
            "ZODB_BACKEND=relstorage needs a DSN (--dsn or ZODB_DSN), "
            'e.g. "host=127.0.0.1 dbname=eservices user=zope"'
        )

    instance = Path(args.instance).resolve()
    var = Path(args.var).resolve()
    values = {
        "INSTANCE_HOME": instance,
        "VAR_DIR": var,
        "HTTP_HOST": args.http_host,
        "HTTP_PORT": args.http_port,
        "THREADS": args.threads,
        "DEBUG_MODE": args.debug_mode,
        "ZODB_DSN": args.dsn.strip(),
        "BLOB_CACHE_SIZE": args.blob_cache_size,
        "CACHE_SIZE": args.cache_size,
        "CACHE_SIZE_BYTES": args.cache_size_bytes,
        "CACHE_LOCAL_MB": args.cache_local_mb,
        "ZEO_ADDRESS": var / "zeo.sock",
        "JOBS_BACKEND": args.jobs_backend,
        "JOBS_REDIS_URL": args.jobs_redis_url,
    }
    storage = STORAGES / f"{args.zodb_backend}.conf"
    values["ZODB_STORAGE"] = render(storage.read_text(encoding="utf-8"), values)
    etc = instance / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    folders = {
        "filestorage": ("filestorage", "blobstorage"),
        "zeo": ("filestorage", "blobstorage"),
        "relstorage": ("blobcache",),
    }[args.zodb_backend]
    for sub in (*folders, "log", "cache", "mail"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    templates = sorted(TEMPLATES.glob("*.in"))
    if not templates:
        raise SystemExit(f"no template in {TEMPLATES}")
    if args.zodb_backend == "zeo":
        server = STORAGES / "zeo-server.conf"
        (etc / "zeo.conf").write_text(
            render(server.read_text(encoding="utf-8"), values), encoding="utf-8"
        )
        print(f"wrote {etc / 'zeo.conf'}")
    for template in templates:
        target = etc / template.stem
        target.write_text(
            render(template.read_text(encoding="utf-8"), values), encoding="utf-8"
        )
        shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
