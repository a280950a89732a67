"""What a generation reads once from the site: its services with their
questions, agents, workflows, and the seeded random generators.
"""

from dataclasses import dataclass

import random


@dataclass
class ServiceInfo:
    id: str
    uid: str
    title: str
    group: str  # the agents' group that processes its requests
    processing_days: int
    concerns: str
    civil_status_act: str
    account_required: bool
    documents_required: bool
    fields: list  # [(name, field, kind)]
    obj: object = None


class Context:
    """What the generation reads once from the site."""

    def __init__(self, portal, seed, now, importer_id):
        from illkirch.eservices.business_days import TIMEZONE
        from illkirch.eservices.site_folders import ensure_households_folder
        from illkirch.eservices.site_folders import ensure_requests_folder

        self.portal = portal
        self.seed = seed
        self.now = now
        self.paris = TIMEZONE
        self.today = now.astimezone(TIMEZONE).date()
        self.importer_id = importer_id
        self.request = portal.REQUEST
        self.pas = portal.acl_users
        self.households = ensure_households_folder(portal)
        self.requests_folder = ensure_requests_folder(portal)
        self.wf_tool = portal.portal_workflow
        self.workflows = {
            wf_id: self.wf_tool.getWorkflowById(wf_id)
            for wf_id in (
                "household_workflow",
                "request_workflow",
                "invoice_workflow",
                "payment_workflow",
            )
        }
        self.services = load_services(portal)
        self.group_agents = {}
        self.fullnames = {}
        self.validators = self.agents_of("Agents") or [importer_id]
        self.posted_note = {}
        self.permissions = {}
        self.document_pdfs = {}  # kind → the one PDF rendered (write_documents)

    def rng(self, *parts):
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def agents_of(self, group_id):
        """Users of the group who also are agents, by id (cached)."""
        if group_id not in self.group_agents:
            members = self.portal.portal_groups.getGroupMembers(group_id) or ()
            agents = set(self.portal.portal_groups.getGroupMembers("Agents") or ())
            users = sorted(m for m in members if group_id == "Agents" or m in agents)
            self.group_agents[group_id] = users
        return self.group_agents[group_id]

    def fullname(self, userid):
        if userid not in self.fullnames:
            user = self.pas.getUserById(userid)
            name = user.getProperty("fullname") if user is not None else ""
            self.fullnames[userid] = name or userid
        return self.fullnames[userid]


def load_services(portal):
    """The published services of the site with their questions."""
    from illkirch.eservices.content.service import IService
    from illkirch.eservices.requests import forms
    from illkirch.eservices.requests import processors
    from plone import api

    services = {}
    catalog = portal.portal_catalog
    for brain in catalog.unrestrictedSearchResults(
        object_provides=IService.__identifier__, sort_on="getId"
    ):
        service = brain._unrestrictedGetObject()
        if api.content.get_state(service, default=None) not in (None, "published"):
            continue
        services[service.getId()] = ServiceInfo(
            id=service.getId(),
            uid=service.UID(),
            title=service.Title(),
            group=processors.processor_group(service),
            processing_days=service.processing_days or 0,
            concerns=service.concerns,
            civil_status_act=service.civil_status_act or "",
            account_required=bool(service.account_required),
            documents_required=any(doc.required for doc in service.documents()),
            fields=[
                (name, fld, forms.kind(fld))
                for name, fld in forms.answer_fields(service)
            ],
            obj=service,
        )
    return services
