"""The project's own signature database for the tests and the demo: one
signature, ClamAV's extended format (``.ndb``), matching the EICAR test
string anywhere in any file.

Production runs ``freshclam`` (docs/deployment.md); the tests and
``make start`` reach no signature mirror, so they start the real ``clamd``
on this tiny database (``signatures/eicar.ndb``, written by
``ndb_text()`` and checked against it by the tests).
"""

from pathlib import Path


# The EICAR anti-malware test file (https://www.eicar.org), 68 bytes, built
# from two halves so that this source file does not itself carry it.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_MD5 = "44d88612fea8a8f36de82e1278abb02f"

NAME = "Eicar-Test-Signature-Local"
DATABASE = Path(__file__).parent / "signatures"
NDB = DATABASE / "eicar.ndb"


def ndb_text():
    """``eicar.ndb``'s text: ``name:target:offset:hex``; target 0 is any
    file, offset ``*`` anywhere in it."""
    return f"{NAME}:0:*:{EICAR.hex()}\n"


def reported_name(name):
    """The name ``clamd`` reports for a signature of ours: it marks those
    of a database it did not get from ClamAV with ``.UNOFFICIAL``."""
    return f"{name}.UNOFFICIAL"


if (
    __name__ == "__main__"
):  # regenerate: python -m illkirch.eservices.antivirus.signatures
    NDB.write_text(ndb_text(), encoding="ascii")
