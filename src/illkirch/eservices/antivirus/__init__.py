"""Antivirus (#21): every upload scanned by ClamAV's daemon (``clamd``)
before anyone opens it.

Pure Python, no Plone: ``scanner.py`` streams a content to the daemon
(INSTREAM, through ``clamav-client``) and says clean, infected (with the
signature's name), too large or unavailable, with the content's SHA-256;
``signatures.py`` is the project's tiny signature database (the EICAR test
string, for the tests and the demo); ``daemon.py`` writes a ``clamd``
configuration from ``clamd.conf.in`` (``cli/clamd.py`` runs it).
"""
