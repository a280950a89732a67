"""A ``clamd`` configuration for the tests and ``make start``: the
template ``clamd.conf.in`` filled (its database, where it listens, its
files in one directory).
"""

from illkirch.eservices.antivirus.signatures import DATABASE
from pathlib import Path
from string import Template


TEMPLATE = Path(__file__).parent / "clamd.conf.in"


def render_config(
    directory,
    socket=None,
    tcp_port=None,
    tcp_host="127.0.0.1",
    database=DATABASE,
    stream_max_length="25M",
    max_threads=4,
):
    """Write ``<directory>/clamd.conf`` (log ``clamd.log``, pid
    ``clamd.pid`` beside it) listening on the Unix ``socket`` and/or on
    ``tcp_host``:``tcp_port``; return its path."""
    if socket is None and tcp_port is None:
        raise ValueError("clamd needs a Unix socket or a TCP port")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    listen = []
    if socket is not None:
        listen.append(f"LocalSocket {socket}")
    if tcp_port is not None:
        listen += [f"TCPSocket {int(tcp_port)}", f"TCPAddr {tcp_host}"]
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        database=Path(database).resolve(),
        listen="\n".join(listen),
        log=directory / "clamd.log",
        pid=directory / "clamd.pid",
        stream_max_length=stream_max_length,
        max_threads=int(max_threads),
    )
    path = directory / "clamd.conf"
    path.write_text(text, encoding="utf-8")
    return path
