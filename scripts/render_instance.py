"""Write the Zope instance configuration from the templates in the repository.

    python scripts/render_instance.py [--http-port 8080] [--instance instance]

Reads ``templates/instance/*.in`` and writes ``<instance>/etc/`` with the
placeholders ``{{NAME}}`` replaced; creates the ``var/`` folders the instance
uses (FileStorage, blobs, logs, mail). Existing data is never touched.
"""

from pathlib import Path

import argparse
import re
import sys


ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "instance"


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
    args = parser.parse_args(argv)

    instance = Path(args.instance).resolve()
    var = Path(args.var).resolve()
    values = {
        "INSTANCE_HOME": instance,
        "VAR_DIR": var,
        "HTTP_HOST": args.http_host,
        "HTTP_PORT": args.http_port,
        "THREADS": args.threads,
        "DEBUG_MODE": args.debug_mode,
    }
    etc = instance / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    for sub in ("filestorage", "blobstorage", "log", "cache", "mail"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    templates = sorted(TEMPLATES.glob("*.in"))
    if not templates:
        raise SystemExit(f"no template in {TEMPLATES}")
    for template in templates:
        target = etc / template.stem
        target.write_text(render(template.read_text(encoding="utf-8"), values),
                          encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
