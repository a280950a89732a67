"""Timing one request and checking its answer."""

from errors import BenchError

import html
import re
import time


def timed(session, method, url, label, status=200, texts=(), check=None, **kwargs):
    """Send one request; return ``(response, client_ms, server_ms)``.

    ``client_ms``: ``perf_counter`` around the loopback request (body read);
    ``server_ms``: Zope's own time from ``Server-Timing``, None without it.
    Raise BenchError when the status, a text or ``check(response)`` fails.
    """
    kwargs.setdefault("timeout", 120)
    kwargs.setdefault("allow_redirects", False)
    started = time.perf_counter()
    response = session.request(method, url, **kwargs)
    client_ms = (time.perf_counter() - started) * 1000
    problem = None
    if response.status_code != status:
        problem = f"status {response.status_code}, expected {status}"
    else:
        text = html.unescape(response.text) if texts else ""
        missing = [t for t in texts if t not in text]
        if missing:
            problem = f"not the expected page: {missing!r} not found"
        elif check is not None:
            problem = check(response)
    if problem:
        raise BenchError(f"{label}: {method} {url}: {problem}\n{response.text[:500]}")
    match = re.search(r"zope;dur=([0-9.]+)", response.headers.get("Server-Timing", ""))
    return response, client_ms, (float(match.group(1)) if match else None)


def json_check(test, what):
    """A ``check`` for ``timed``: ``test(answer's JSON)`` or the reason."""

    def check(response):
        try:
            return None if test(response.json()) else what
        except ValueError:
            return "not JSON"

    return check
