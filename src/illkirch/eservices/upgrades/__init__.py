"""Upgrade steps of the default profile.

The profile version lives in ``profiles/default/metadata.xml``; each upgrade
step registered in ``configure.zcml`` brings a site from one version to the
next (one module per destination version, e.g. ``v1001.py``).
"""
