"""1008 → 1009: the background jobs (#16): the « Tâches de fond » configlet
(controlpanel.xml) in Site Setup, for the Managers."""

PROFILE = "profile-illkirch.eservices:default"


def jobs_configlet(context):
    """The upgrade step (``context``: portal_setup)."""
    context.runImportStepFromProfile(PROFILE, "controlpanel", run_dependencies=False)
