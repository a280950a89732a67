"""1008 → 1009: reminders and the agents' digest (#16).

- « Mes notifications » in the agents' user menu (actions.xml).
- The services' new setting « Relances » (``reminder_days``) needs nothing:
  a service without it reads the field's default (« 7, 14 »).
"""

PROFILE = "profile-illkirch.eservices:default"


def notifications_action(context):
    """The upgrade step (``context``: portal_setup)."""
    context.runImportStepFromProfile(PROFILE, "actions", run_dependencies=False)
