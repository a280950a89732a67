"""The load balancer of ``benchmarks/load.py``: Debian's HAProxy (``make
haproxy`` installs it), run in the foreground with a configuration written
by the benchmark, in front of the instances of a phase.

- ``haproxy_config``: the configuration's text (pure: unit-tested);
- ``HAProxy``: the process, started once every instance is up through it.

Each server takes at most ``maxconn`` requests at once (the instance's
threads): the others wait in HAProxy's queue and go to the first instance
that is free, instead of waiting in one instance's own queue while the other
is idle. A health check (``GET /<site>/@@ok`` every 2 s) takes a dead
instance out.
"""

from errors import BenchError
from illkirch.eservices.cli.processes import Process
from illkirch.eservices.cli.processes import ProcessError
from illkirch.eservices.cli.processes import answering
from pathlib import Path

import shutil


BALANCES = ("leastconn", "roundrobin")


def haproxy_binary():
    """The path of ``haproxy`` (Debian puts it in /usr/sbin), or None."""
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None
    )


def haproxy_config(
    port, servers, balance="leastconn", maxconn=4, site="Plone", host="127.0.0.1"
):
    """HAProxy's configuration: a frontend on ``host:port`` and a backend of
    ``servers`` (``(host, port)`` pairs), each checked with ``GET
    /<site>/@@ok`` and given at most ``maxconn`` requests at once."""
    if balance not in BALANCES:
        raise ValueError(f"balance {balance!r}: one of {', '.join(BALANCES)}")
    if not servers:
        raise ValueError("no server to balance")
    lines = [
        "# Written by benchmarks/load.py (benchmarks/balancer.py): do not edit.",
        "global",
        "    maxconn 4096",
        "",
        "defaults",
        "    mode http",
        "    option http-keep-alive",
        "    timeout connect 5s",
        "    timeout client 300s",
        "    timeout server 300s",
        "    timeout queue 300s",
        "    timeout http-request 60s",
        "",
        "frontend eservices",
        f"    bind {host}:{port}",
        "    default_backend zope",
        "",
        "backend zope",
        f"    balance {balance}",
        f"    option httpchk GET /{site}/@@ok",
        "    http-check expect status 200",
    ]
    for number, (server_host, server_port) in enumerate(servers, 1):
        lines.append(
            f"    server zope{number} {server_host}:{server_port} "
            f"check inter 2s fall 3 rise 1 maxconn {maxconn}"
        )
    return "\n".join(lines) + "\n"


class HAProxy(Process):
    """``haproxy -db -f <config>`` on ``port`` in front of ``servers``."""

    def __init__(self, config_path, port, servers, log, **options):
        binary = haproxy_binary()
        if binary is None:
            raise BenchError("no haproxy: install Debian's with `make haproxy`")
        self.config_path = Path(config_path)
        self.port = port
        self.servers = list(servers)
        self.options = options
        super().__init__([binary, "-db", "-f", self.config_path], log)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/{self.options.get('site', 'Plone')}"

    def start(self, timeout=60):
        self.config_path.write_text(
            haproxy_config(self.port, self.servers, **self.options), encoding="utf-8"
        )
        super().start()
        try:
            # every server answers through the balancer
            self.wait_until(
                lambda: all(answering(f"{self.url}/@@ok", 5) for _ in self.servers),
                timeout,
                f"HAProxy on port {self.port}",
            )
        except ProcessError as error:
            raise BenchError(str(error)) from error
        return self
