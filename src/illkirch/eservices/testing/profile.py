"""The add-on's default profile as the tests see it."""

from pathlib import Path
from xml.etree import ElementTree


METADATA = Path(__file__).parents[1] / "profiles" / "default" / "metadata.xml"


def profile_version():
    """The default profile's version, as its ``metadata.xml`` gives it: the
    version an upgraded site must reach (the tests of each upgrade step
    compare with it; ``tests/setup/test_setup.py`` pins the number)."""
    return ElementTree.parse(METADATA).findtext("version").strip()
