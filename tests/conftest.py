"""pytest configuration: the test layers come from illkirch.eservices.testing.

The tests are unittest classes with a ``layer`` attribute, so that both
pytest (through zope.pytestlayer, which pytest-plone brings) and Zope's
test runner (buildout's bin/test) run them.
"""
