"""1005 → 1006: the security review (#13).

Each step below is the migration of one fix; the registry records they need
come with the ``plone.app.registry`` import of the upgrade.
"""
