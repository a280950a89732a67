"""pytest configuration.

pytest-plone's fixtures are bound to the add-on's layers here: ``portal``,
``http_request``, ``installer``, ``setup_tool``, ``get_fti`` … on
``INTEGRATION_TESTING`` (prefix ``integration``), ``functional_portal`` …
on ``FUNCTIONAL_TESTING`` (prefix ``functional``). Function-style tests
(tests/setup/test_setup.py, tests/integration/test_faq.py) use them; tests
written as unittest classes with a ``layer`` attribute (most integration,
functional and browser tests) are run by zope.pytestlayer directly.

``keep_session=False``: a layer is set up when a test asks for its fixtures
(once per test class), not for every session: the unit tests run without a
Plone site.
"""

from illkirch.eservices.jobs import registry as jobs_registry
from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing import INTEGRATION_TESTING
from pytest_plone import fixtures_factory

import pytest


pytest_plugins = ["pytest_plone"]

# Jobs run at once in the tests, also those without a layer (the layers set
# it too); tests/jobs/ switch to a real queue where they need one.
jobs_registry.EAGER = True

globals().update(
    fixtures_factory(
        (
            (FUNCTIONAL_TESTING, "functional"),
            (INTEGRATION_TESTING, "integration"),
        ),
        keep_session=False,
    )
)


@pytest.fixture
def package_name() -> str:
    return "illkirch.eservices"
