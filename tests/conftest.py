"""pytest configuration.

pytest-plone's fixtures (``portal``, ``installer``, ``browser_layers``,
``setup_tool``, ``get_fti``, ``functional_portal`` …) are bound to the
add-on's layers here. Tests written as unittest classes with a ``layer``
attribute (functional, browser) are run by zope.pytestlayer directly.
"""

from illkirch.eservices.testing import FUNCTIONAL_TESTING
from illkirch.eservices.testing import INTEGRATION_TESTING
from pytest_plone import fixtures_factory

import pytest


pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (FUNCTIONAL_TESTING, "functional"),
            (INTEGRATION_TESTING, "integration"),
        )
    )
)


@pytest.fixture
def package_name() -> str:
    return "illkirch.eservices"
