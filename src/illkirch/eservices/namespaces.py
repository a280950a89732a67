"""``pas`` and ``pas.plugins`` as native (PEP 420) namespace packages.

pas.plugins.oidc 2.0.0 (#20, docs/franceconnect.md) ships ``pas/__init__.py``
and ``pas/plugins/__init__.py`` that call
``pkg_resources.declare_namespace``; the pinned setuptools (84) no longer has
``pkg_resources``, so importing them fails. Registering both names here as
namespace modules first makes Python skip those two files: only
``pas/plugins/oidc`` is imported, unchanged. Run on importing
``illkirch.eservices`` (``__init__``), which the instance's site.zcml does
before plone.autoinclude loads the add-ons (templates/instance/site.zcml.in).
"""

from pathlib import Path

import sys
import types


def declare(name):
    """Make ``name`` a namespace module over every sys.path entry holding
    it, unless it is imported already."""
    if name in sys.modules:
        return sys.modules[name]
    parent_name, _, child = name.rpartition(".")
    parent = declare(parent_name) if parent_name else None
    roots = list(parent.__path__) if parent is not None else sys.path
    paths = [str(Path(root) / child) for root in roots if (Path(root) / child).is_dir()]
    module = types.ModuleType(name)
    module.__path__ = paths
    module.__package__ = name
    sys.modules[name] = module
    if parent is not None:
        setattr(parent, child, module)
    return module


def declare_all():
    declare("pas.plugins")
