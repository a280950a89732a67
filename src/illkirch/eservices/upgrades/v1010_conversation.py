"""1009 → 1010: the conversation of each request (#17).

The permission « illkirch.eservices: Write request messages » (rolemap.xml)
and its map in every status of ``request_workflow``: the agents always, the
citizen until the request is refused or closed. The existing requests get
it by updating the workflow's role mappings.
"""

PROFILE = "profile-illkirch.eservices:default"


def write_messages_permission(context):
    """The upgrade step (``context``: portal_setup)."""
    context.runImportStepFromProfile(PROFILE, "rolemap", run_dependencies=False)
    context.runImportStepFromProfile(PROFILE, "workflow", run_dependencies=False)
    workflow_tool = context.portal_workflow
    workflow = workflow_tool.getWorkflowById("request_workflow")
    catalog = context.portal_catalog
    for brain in catalog.unrestrictedSearchResults(portal_type="Request"):
        request_obj = brain._unrestrictedGetObject()
        # the permission of View is not changed: the catalog's security
        # index stays right
        workflow.updateRoleMappingsFor(request_obj)
