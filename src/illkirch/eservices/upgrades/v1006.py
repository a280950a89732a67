"""1005 → 1006: the security review (#13).

Each step below is the migration of one fix; the registry records they need
come with the ``plone.app.registry`` import of the upgrade.
"""


def designate_agents_groups(context):
    """Item 1 and 2: the groups the existing services use become the town's
    agents' groups (unless Plone's own, the régies' or an administrators'
    group: those services are then processed by the managers only, and
    logged), and every service's requests are given to its group."""
    from illkirch.eservices.requests import processors
    from illkirch.eservices.requests.queue import all_services
    from illkirch.eservices.vocabularies import agents_groups as vocabulary
    from plone import api

    import logging

    logger = logging.getLogger("illkirch.eservices.upgrades")
    services = all_services()
    designated = vocabulary.designated()
    for service in services:
        group_id = (service.agents_group or "").strip()
        if not group_id or group_id in designated:
            continue
        if vocabulary.may_be_agents_group(group_id):
            designated.append(group_id)
    api.portal.set_registry_record(vocabulary.AGENTS_GROUPS_RECORD, designated)
    for service in services:
        if not vocabulary.is_agents_group(service.agents_group):
            logger.warning(
                "Service %s: « %s » is no agents' group; its requests "
                "are now processed by the site's managers only.",
                "/".join(service.getPhysicalPath()),
                service.agents_group,
            )
        changed = processors.follow_service(service)
        if changed:
            logger.info(
                "Service %s: %d request(s) given to its group.",
                "/".join(service.getPhysicalPath()),
                changed,
            )


def holders_as_requesters(context):
    """Item 5: the requester of a household's request is the holder the
    household records, not the account's ``fullname`` (which Plone let
    citizens write): set again on the requests already filed."""
    from illkirch.eservices.content.household import IHousehold
    from plone import api

    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Request"):
        request_obj = brain._unrestrictedGetObject()
        household = request_obj.aq_parent
        if not IHousehold.providedBy(household):
            continue  # account-less requests: the name the requester gave
        holder = household.holder()
        name = (holder.Title() if holder is not None else "") or household.Title()
        if request_obj.requester_name != name:
            request_obj.requester_name = name
            request_obj.reindexObject(idxs=["request_names"])
