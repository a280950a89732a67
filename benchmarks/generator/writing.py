"""Building and adding the generated objects.

Each object is built whole before it is added (fields, local roles, dates,
creators, workflow history and the permissions of its state), then added
with the events the portal fires but the container's « modified »: the
catalog indexes it once, when the batch commits, and the workflow tool keeps
the history it finds.
"""

from datetime import UTC


def dt(value):
    """A DateTime in the server's zone, as ``DateTime()`` gives Plone."""
    from DateTime import DateTime

    return DateTime(value.timestamp())


def iso(value):
    return value.astimezone(UTC).isoformat(timespec="seconds")


def new_content(portal_type, object_id, uid, local_roles=None):
    """A new object of the type with its UID, not added yet. Local roles
    set now keep the current user from getting the Owner role."""
    from plone.dexterity.utils import createContent

    obj = createContent(portal_type, **{"_plone.uuid": uid})
    obj.id = object_id
    vars(obj).pop("creators", None)  # not the current user: set by the writers
    if local_roles is not None:
        obj.__ac_local_roles__ = {
            principal: list(roles) for principal, roles in local_roles.items()
        }
    return obj


def stamp(ctx, obj, wf_id, entries, creators, modified=None):
    """Creation and modification dates (default: the last entry's),
    creators, and the workflow history ``entries`` (``(action, actor,
    comments, state, time)``, the first one the creation) with the
    permissions of the last state."""
    from Persistence import PersistentMapping as WorkflowHistory

    obj.creation_date = dt(entries[0][4])
    obj.modification_date = dt(modified or entries[-1][4])
    obj.creators = tuple(creators)
    obj.workflow_history = WorkflowHistory(
        {
            wf_id: tuple(
                {
                    "action": action,
                    "actor": actor,
                    "comments": comments,
                    "review_state": state,
                    "time": dt(when),
                }
                for action, actor, comments, state, when in entries
            )
        }
    )
    apply_permissions(ctx, obj, wf_id, entries[-1][3])


def apply_permissions(ctx, obj, wf_id, state):
    """The permissions the workflow gives in ``state`` (what
    ``updateRoleMappingsFor`` sets), computed once per type and state."""
    key = (wf_id, state, obj.portal_type)
    settings = ctx.permissions.get(key)
    if settings is None:
        ctx.workflows[wf_id].updateRoleMappingsFor(obj)
        settings = ctx.permissions[key] = {
            name: value
            for name, value in vars(obj).items()
            if name.startswith("_") and name.endswith("_Permission")
        }
        return
    for name, value in settings.items():
        setattr(obj, name, list(value) if isinstance(value, list) else value)


def add(container, obj, owner):
    """Add ``obj`` without the container's modified event (it changes
    nothing stored and its subscribers cost more than the add itself). The
    id is known to be free: no name chooser (it lists the whole folder).
    ``owner``: its owner tuple; None when an anonymous visitor made it (it
    has no owner of its own then, its container's is acquired)."""
    from generator.patches import adding
    from illkirch.eservices.content.adding import add_without_container_modified

    # The catalog's indexObject marks the object modified now by the current
    # user (creator when it has none): keep the date and creators it had.
    modified, creators = obj.modification_date, vars(obj).get("creators")
    obj._v_generated = True
    with adding():  # no CMF check of the id (patches.unchecked_ids)
        obj = add_without_container_modified(container, obj)
    del obj._v_generated
    obj.modification_date = modified
    if creators is None:
        vars(obj).pop("creators", None)
        obj._p_changed = True
    else:
        obj.creators = creators
    if owner is not None:
        obj._owner = owner
    else:
        vars(obj).pop("_owner", None)
        obj._p_changed = True
    return obj


def owner_of(userid):
    return (["Plone", "acl_users"], userid) if userid else None


def user_exists(source, userid):
    try:
        source.getUserInfo(userid)
    except KeyError:
        return False
    return True
