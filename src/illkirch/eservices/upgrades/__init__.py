"""Upgrade steps of the default profile.

The profile version lives in ``profiles/default/metadata.xml``; each upgrade
step registered in ``configure.zcml`` brings a site from one version to the
next. Version 1000 is the first release: there is nothing to upgrade yet.
"""
