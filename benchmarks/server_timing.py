"""A WSGI filter telling how long Zope took to answer, for the benchmarks.

Added in front of the instance's pipeline by ``benchmarks/bench_site.py``,
which writes ``<instance>/etc/zope-bench.ini`` (the rendered ``zope.ini`` with
this filter first); ``benchmarks/servers.py`` runs ``runwsgi`` on it with
``benchmarks/`` on PYTHONPATH:

    [filter:server_timing]
    use = call:server_timing:filter_factory

Each answer gets a ``Server-Timing: zope;dur=<milliseconds>`` header: the
time from the call of the application to its ``start_response``. Zope calls
``start_response`` once the request is published and its transaction
committed, so the figure covers traversal, security, rendering and commit,
without the HTTP parsing and socket writes of waitress.
"""

import time


HEADER = "Server-Timing"


def filter_factory(global_conf, **local_conf):
    return ServerTiming


class ServerTiming:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = time.perf_counter()

        def timed_start_response(status, headers, exc_info=None):
            elapsed = (time.perf_counter() - started) * 1000
            headers = [*headers, (HEADER, f"zope;dur={elapsed:.3f}")]
            return start_response(status, headers, exc_info)

        return self.app(environ, timed_start_response)
