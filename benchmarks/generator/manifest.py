"""The manifest read by ``benchmarks/run.py``: citizens to log in as, agents
with the Guichet filters that show them requests, numbers and tracking codes
of account-less requests.
"""

from datetime import UTC
from datetime import datetime
from generator.batches import checkpoint
from generator.context import Context
from generator.dashboard import SUPERVISOR_GROUP
from generator.drafts import DRAFTS_PER_HOUSEHOLD
from generator.drafts import NO_HOUSEHOLD
from generator.drafts import NOT_AVAILABLE
from generator.drafts import drafts_store
from generator.patches import cached_service_forms
from generator.plan_conversations import has_conversation
from generator.plan_invoices import INVOICES_PER_HOUSEHOLD
from generator.plan_requests import REQUESTS_PER_HOUSEHOLD
from generator.plan_requests import plan_anonymous
from generator.write_households import PASSWORD
from generator.writing import user_exists
from illkirch.eservices.demo.accounts import DEMO_ACCOUNTS
from zope.component.hooks import setSite


MANIFEST_CITIZENS = 24
MANIFEST_LOOKUPS = 8
MANIFEST_CONVERSATIONS = 8
MANIFEST_DRAFTS = 8
# Demo agents, in the manifest's order, and the passwords the demo profile
# gives them.
DEMO_PASSWORDS = {account["userid"]: account["password"] for account in DEMO_ACCOUNTS}
DEMO_AGENTS = {
    userid: DEMO_PASSWORDS[userid] for userid in ("agent.voirie", "agent.accueil")
}


def typical(household):
    """6 requests, 15 invoices, an unpaid « ville » invoice in the window."""
    from illkirch.eservices.billing.invoices import window_start
    from plone import api

    values = household.objectValues()
    requests = [o for o in values if o.portal_type == "Request"]
    invoices = [o for o in values if o.portal_type == "Invoice"]
    start = window_start()
    payable = [
        i
        for i in invoices
        if i.regie == "ville"
        and i.issue_date >= start
        and api.content.get_state(i) == "unpaid"
    ]
    return (
        len(requests) == REQUESTS_PER_HOUSEHOLD
        and len(invoices) == INVOICES_PER_HOUSEHOLD
        and bool(payable)
    )


def manifest_citizens(ctx, households, by_index):
    wanted = min(MANIFEST_CITIZENS, households)
    chosen = []
    for k in range(wanted):
        for index in range(k * households // wanted, households):
            household = by_index.get(index)
            if household is not None and index not in chosen and typical(household):
                chosen.append(index)
                break
    pas = ctx.pas
    return [
        {
            "login": pas.source_users.getLoginForUserId(by_index[i].holder_id),
            "household": "/".join(by_index[i].getPhysicalPath()),
        }
        for i in chosen
    ]


def generated_households(ctx, state):
    """Household index → Household, for the households of this generation."""
    result = {}
    for index, household_id in state["households"].items():
        household = ctx.households.get(household_id)
        if household is not None:
            result[index] = household
    return result


def manifest_agents(ctx):
    """Agents, each with a service of their groups and the state in which
    that service has the most open requests."""
    catalog = ctx.portal.portal_catalog
    result = []
    for userid in DEMO_AGENTS:
        login, password = agent_login(ctx, userid)
        if login is None:
            continue
        groups = set(
            ctx.portal.portal_groups.getGroupsForPrincipal(ctx.pas.getUserById(userid))
        )
        for service in sorted(ctx.services.values(), key=lambda s: s.id):
            if service.group not in groups:
                continue
            counts = {
                state: len(
                    catalog.unrestrictedSearchResults(
                        portal_type="Request",
                        service_uid=service.uid,
                        review_state=state,
                    )
                )
                for state in ("submitted", "complete", "incomplete", "accepted")
            }
            # the queue's first state when it holds a few, else the fullest
            state = next(
                (s for s, n in counts.items() if n >= 3), max(counts, key=counts.get)
            )
            if counts[state]:
                result.append(
                    {
                        "login": login,
                        "password": password,
                        "service": service.id,
                        "status": state,
                    }
                )
                break
    return result


def agent_login(ctx, userid):
    """The login and password of a demo agent, if the password still is the
    demo's one."""
    source = ctx.pas.source_users
    if not user_exists(source, userid):
        return None, None
    login = source.getLoginForUserId(userid)
    password = DEMO_AGENTS[userid]
    if source.authenticateCredentials({"login": login, "password": password}):
        return login, password
    return None, None


def manifest_lookups(ctx, state, households):
    lookups = []
    for j, number in sorted(state["anonymous"].items())[:MANIFEST_LOOKUPS]:
        code = plan_anonymous(ctx, j).code
        lookups.append({"number": number, "code": code})
    return lookups


def manifest_conversations(ctx, by_index):
    """Requests with a conversation: the page's path (from the site), the
    citizen and a demo agent of its group to see it as, the count of
    messages each side sees and the last one each sees."""
    from illkirch.eservices.conversation import store

    result = []
    for index in sorted(i for i in by_index if has_conversation(i)):
        household = by_index[index]
        request = next(
            (
                obj
                for obj in household.objectValues()
                if obj.portal_type == "Request" and store.messages(obj)
            ),
            None,
        )
        agent = request is not None and conversation_agent(ctx, request)
        if not agent:
            continue
        seen = {side: store.messages(request, side) for side in store.SIDES}
        result.append(
            {
                "path": "/".join(request.getPhysicalPath()[2:]),
                "number": request.number,
                "login": ctx.pas.source_users.getLoginForUserId(household.holder_id),
                "agent_login": agent[0],
                "agent_password": agent[1],
                "messages": {side: len(seen[side]) for side in store.SIDES},
                "last_text": {side: seen[side][-1].text for side in store.SIDES},
            }
        )
        if len(result) == MANIFEST_CONVERSATIONS:
            break
    return result


def conversation_agent(ctx, request):
    """``(login, password)`` of a demo agent of the request's group, or
    None."""
    group = next(
        (s.group for s in ctx.services.values() if s.uid == request.service_uid), None
    )
    for userid in DEMO_AGENTS:
        login, password = agent_login(ctx, userid)
        if login is None:
            continue
        groups = ctx.portal.portal_groups.getGroupsForPrincipal(
            ctx.pas.getUserById(userid)
        )
        if group in groups:
            return login, password
    return None


def manifest_drafts(ctx, state, by_index):
    """The citizens whose Accueil shows ``DRAFTS_PER_HOUSEHOLD`` drafts, or
    why there are none (``not_measured``)."""
    written = state.get("drafts", {})
    citizens = [
        ctx.pas.source_users.getLoginForUserId(by_index[index].holder_id)
        for index, count in sorted(written.items())
        if count == DRAFTS_PER_HOUSEHOLD and index in by_index
    ][:MANIFEST_DRAFTS]
    reason = None
    if not citizens:
        reason = state.get("drafts_unavailable") or (
            NO_HOUSEHOLD if drafts_store() is not None else NOT_AVAILABLE
        )
    return {
        "per_household": DRAFTS_PER_HOUSEHOLD,
        "citizens": citizens,
        "not_measured": reason,
    }


NO_SUPERVISOR = (
    f"no Supervisor: the site has no group « {SUPERVISOR_GROUP} » (an add-on "
    "before #19)"
)


def manifest_statistics(ctx, state):
    """The dashboard of #19: the Supervisor to see it as, the year shown
    (that of the generation's reference time, in Paris), or why it is not
    measured (``not_measured``)."""
    supervisor = state.get("supervisor")
    reason = state.get("statistics_unavailable") or (
        None if supervisor else NO_SUPERVISOR
    )
    return {
        "year": ctx.today.year,
        "supervisors": (
            [{"login": supervisor[0], "password": supervisor[1]}] if supervisor else []
        ),
        "not_measured": reason,
    }


def build_manifest(portal, households, seed, seconds):
    setSite(portal)
    state = checkpoint(portal, seed)
    ctx = Context(portal, seed, datetime.fromisoformat(state["now"]), "admin")
    with cached_service_forms():
        by_index = generated_households(ctx, state)
        return {
            "households": households,
            "seed": seed,
            "site": portal.getId(),
            "citizen_password": PASSWORD,
            "citizens": manifest_citizens(ctx, households, by_index),
            "agents": manifest_agents(ctx),
            "status_lookups": manifest_lookups(ctx, state, households),
            "conversations": manifest_conversations(ctx, by_index),
            "drafts": manifest_drafts(ctx, state, by_index),
            "statistics": manifest_statistics(ctx, state),
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 1),
        }
