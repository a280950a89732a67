"""Test helpers of the add-on, never loaded by the site itself.

The layers are imported from the package (``from illkirch.eservices.testing
import FUNCTIONAL_TESTING``); every other helper from its module: ``browser``
(Playwright), ``clamd`` (a real ClamAV daemon, #21), ``cluster`` (real
Zope instances), ``files`` (sample documents), ``payments`` (the tests play
the bank), ``requests`` (answers to the demo services), ``scan_bench`` (a
kind of scanned files for the antivirus' benchmark), ``sessions`` (HTTP
clients), ``site`` (a test's changes to its site), ``views`` and
``configure.zcml`` (test-only pages).
"""

from illkirch.eservices.testing.layers import ANTIVIRUS_FUNCTIONAL_TESTING
from illkirch.eservices.testing.layers import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.layers import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.layers import FRANCECONNECT_FUNCTIONAL_TESTING
from illkirch.eservices.testing.layers import FUNCTIONAL_TESTING
from illkirch.eservices.testing.layers import INTEGRATION_TESTING


__all__ = [
    "DEMO_FUNCTIONAL_TESTING",
    "DEMO_INTEGRATION_TESTING",
    "ANTIVIRUS_FUNCTIONAL_TESTING",
    "FRANCECONNECT_FUNCTIONAL_TESTING",
    "FUNCTIONAL_TESTING",
    "INTEGRATION_TESTING",
]
