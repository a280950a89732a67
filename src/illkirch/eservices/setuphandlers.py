"""Install and uninstall steps that GenericSetup XML cannot express."""

from illkirch.eservices import catalog_rows
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts import pas as login_plugin
from illkirch.eservices.accounts import password_reset
from illkirch.eservices.antivirus import files as antivirus_files
from illkirch.eservices.content import public_text
from illkirch.eservices.requests import export_rows
from illkirch.eservices.roles import CUSTOM_ROLES
from illkirch.eservices.roles import GROUPS
from illkirch.eservices.roles import add_custom_roles
from illkirch.eservices.site_folders import ensure_households_folder
from illkirch.eservices.site_folders import ensure_regies_folder
from illkirch.eservices.site_folders import ensure_requests_folder
from illkirch.eservices.statistics import rebuild
from illkirch.eservices.statistics import store as statistics_store
from plone import api
from plone.base.interfaces import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        """Hide the uninstall and demo profiles from the add-ons control panel."""
        return [
            "illkirch.eservices:uninstall",
            "illkirch.eservices:demo",
            "illkirch.eservices:demo-activity",
        ]

    def getNonInstallableProducts(self):
        return []


def post_install(context):
    """Create the groups carrying the custom roles, the site's folders and
    the statistics' aggregates.

    ``rolemap.xml`` declares the roles on the site; the PAS role manager, which
    Plone's user and group screens read, has its own list, kept here in step.
    """
    portal = api.portal.get()
    add_custom_roles(portal)
    for group_id, (title, roles) in GROUPS.items():
        if api.group.get(groupname=group_id) is None:
            api.group.create(groupname=group_id, title=title, roles=list(roles))
        else:
            api.group.grant_roles(groupname=group_id, roles=list(roles))
    ensure_households_folder(portal)
    ensure_requests_folder(portal)
    ensure_regies_folder(portal)
    login_plugin.install(portal.acl_users)
    franceconnect.configure_plugin(portal.acl_users)
    password_reset.set_session_ending(portal.acl_users, True)
    # The statistics' aggregates, kept by events from now on (#19): empty
    # on a new site, counted from the content on a reinstalled one.
    if statistics_store.get(portal, create=False) is None:
        rebuild.rebuild(portal)
    # the antivirus on by default where Debian's clamd answers (#21)
    antivirus_files.use_local_daemon()
    # what anonymous visitors' searches find: the content made before the
    # profile added its index (the site's front page, #22)
    catalog = api.portal.get_tool("portal_catalog")
    public_text.index_public_objects(catalog)
    # the CSV export's rows, kept with the metadata from now on (#22,
    # upgrade 1020): made from the records already there (a reinstall)
    export_rows.install(catalog)


# Types added to Plone's ``plone.displayed_types`` (navigation) by registry.xml.
NAVIGABLE_TYPES = ("FAQ",)


def uninstall(context):
    """Remove the groups, the custom roles (site and PAS) and our types from
    the navigation settings (registry.xml cannot remove list elements)."""
    portal = api.portal.get()
    # no projection of the catalog left for the patch to keep (#22)
    catalog_rows.uninstall(api.portal.get_tool("portal_catalog"))
    login_plugin.uninstall(portal.acl_users)
    franceconnect.remove_plugin(portal.acl_users)
    password_reset.set_session_ending(portal.acl_users, False)
    displayed = api.portal.get_registry_record("plone.displayed_types")
    api.portal.set_registry_record(
        "plone.displayed_types",
        tuple(t for t in displayed if t not in NAVIGABLE_TYPES),
    )
    for group_id in GROUPS:
        if api.group.get(groupname=group_id) is not None:
            api.group.delete(groupname=group_id)
    # The site's roles first: PlonePAS's role manager copies them back into
    # its own list each time it is read.
    portal.__ac_roles__ = tuple(
        role for role in portal.__ac_roles__ if role not in CUSTOM_ROLES
    )
    role_manager = portal.acl_users.portal_role_manager
    for role in CUSTOM_ROLES:
        if role in role_manager.listRoleIds():
            role_manager.removeRole(role)
