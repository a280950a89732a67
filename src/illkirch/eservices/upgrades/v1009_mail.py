"""1008 → 1009: background work, the mail, payments and import part (#16).

- « Importer des factures » in the user menu of whoever may manage invoices
  (the Finance role): the page following a background import
  (actions.xml).
"""

PROFILE = "profile-illkirch.eservices:default"


def invoice_import_action(context):
    """The upgrade step (``context``: portal_setup)."""
    context.runImportStepFromProfile(PROFILE, "actions", run_dependencies=False)
