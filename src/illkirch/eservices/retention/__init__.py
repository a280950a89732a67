"""Retention (RGPD): what the portal keeps, how long (issue #16).

``periods``: the table of periods (docs/privacy.md); ``purge``: the nightly
periodic task ``retention.purge`` that deletes or anonymises what is past
its period. Importing the package registers the task.
"""

from illkirch.eservices.retention import purge  # noqa: F401 - registers the task
