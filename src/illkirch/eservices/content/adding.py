"""Adding an object to a folder without the folder's « modified » event.

After « object added », Zope's ``_setObject`` fires « container modified »:
its subscribers re-read the folder's relations and reindex the folder, which
costs more than the add itself when objects are added by the thousand (the
invoice import, the benchmark generator). Such callers add with this
function and fire that event once at the end, if it matters
(``zope.container.contained.notifyContainerModified``).
"""

from OFS.event import ObjectWillBeAddedEvent
from zope.event import notify
from zope.lifecycleevent import ObjectAddedEvent


def add_without_container_modified(container, obj):
    """Add ``obj`` (its id set, known to be free in ``container``) with the
    events of ``_setObject``, « will be added » and « added » (workflow
    state, catalog indexing, intid…), but not « container modified »; return
    the object as stored in its container."""
    name = obj.getId()
    notify(ObjectWillBeAddedEvent(obj, container, name))
    container._setObject(name, obj, suppress_events=True)
    obj = container._getOb(name)
    notify(ObjectAddedEvent(obj, container, name))
    return obj
