"""What the statistics of #19 need on a generated site: the aggregates
that the Guichet's counts and the dashboard read, and a Supervisor
« Responsable » to see the dashboard as.

The generator writes its objects without the events that keep the
aggregates (no submission, no transition, no payment notification: the
histories are written as they would have been left), so the aggregates
are recomputed from the content once the households are written, by the
add-on's own ``statistics.rebuild.rebuild`` (what an administrator runs
after an import, docs/statistics.md): the generated site's counts are
those a recount finds, whatever the events would have recorded.
"""

import time as clock


SUPERVISOR_ID = "responsable.mesures"
SUPERVISOR_PASSWORD = "Bench-Responsable-2026"
SUPERVISOR_FULLNAME = "Responsable des mesures"
SUPERVISOR_GROUP = "Responsables"


class RebuildUnavailable(Exception):
    """The add-on has no ``statistics.rebuild`` (before #19)."""


def rebuild_aggregates(portal):
    """Recompute the site's aggregates from its content; the seconds it
    took (CPU time of this process too: ``(wall, cpu)``)."""
    try:
        from illkirch.eservices.statistics.rebuild import rebuild
    except ImportError as error:
        raise RebuildUnavailable(str(error)) from error

    started, cpu = clock.perf_counter(), clock.process_time()
    rebuild(portal)
    return clock.perf_counter() - started, clock.process_time() - cpu


def compact_aggregates():
    """Freeze the past days of the aggregates kept while writing (what the
    nightly task and the end of a rebuild do); ``(wall, cpu)`` seconds."""
    try:
        from illkirch.eservices.statistics import store
    except ImportError as error:
        raise RebuildUnavailable(str(error)) from error

    started, cpu = clock.perf_counter(), clock.process_time()
    store.compact()
    return clock.perf_counter() - started, clock.process_time() - cpu


def ensure_supervisor(portal):
    """The benchmark's Supervisor (group « Responsables »), created once;
    its ``(login, password)``, or None when the site has no such group
    (an add-on before #19)."""
    from plone import api

    if api.group.get(groupname=SUPERVISOR_GROUP) is None:
        return None
    pas = portal.acl_users
    if pas.getUserById(SUPERVISOR_ID) is None:
        pas.source_users.addUser(SUPERVISOR_ID, SUPERVISOR_ID, SUPERVISOR_PASSWORD)
        member = api.user.get(userid=SUPERVISOR_ID)
        member.setMemberProperties(
            {
                "email": f"{SUPERVISOR_ID}@illkirch.example",
                "fullname": SUPERVISOR_FULLNAME,
            }
        )
        api.user.grant_roles(user=member, roles=["Member"])
    member = api.user.get(userid=SUPERVISOR_ID)
    if SUPERVISOR_GROUP not in {g.getId() for g in api.group.get_groups(user=member)}:
        api.group.add_user(groupname=SUPERVISOR_GROUP, user=member)
    return pas.source_users.getLoginForUserId(SUPERVISOR_ID), SUPERVISOR_PASSWORD
