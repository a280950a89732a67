"""1001 → 1002: online services (easyform) and requests."""

from plone import api


def install_easyform(context):
    """The services' forms are collective.easyform forms."""
    installer = api.portal.get_tool("portal_setup")
    installer.runAllImportStepsFromProfile(
        "profile-collective.easyform:default",
        purge_old=False,
        dependency_strategy="new",
    )


def add_processor_role(context):
    from illkirch.eservices.roles import add_custom_roles

    add_custom_roles(api.portal.get())
