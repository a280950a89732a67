"""What the portal's workflows share: a refused transition with a French
message, and firing a transition as the current user."""

from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.interface import Interface
from zope.interface import implementer


class ITransitionRefused(Interface):
    """Marker of ``TransitionRefused`` (its Classic UI error view)."""


@implementer(ITransitionRefused)
class TransitionRefused(WorkflowException):
    """A transition was refused; ``str()`` is the French text.

    A WorkflowException, so that plone.restapi's ``@workflow`` answers 400
    with the message. ``url`` is the object's, for the Classic UI.
    CMF's workflow tool re-raises an exception as ``type(exc)(exc)``: the
    constructor accepts one of its own kind and keeps its details.
    """

    def __init__(self, message, url=None):
        if isinstance(message, TransitionRefused):
            message, url = message.message, message.url
        super().__init__(message)
        self.message = message
        self.url = url


def text(message):
    return translate(message, context=getRequest())


def available_transitions(obj):
    """Ids of the transitions the current user may fire on ``obj``."""
    workflow = api.portal.get_tool("portal_workflow")
    return [t["id"] for t in workflow.getTransitionsFor(obj)]


def fire(obj, transition_id, comment, unavailable):
    """Fire ``transition_id`` as the current user, with ``comment``.

    Raises TransitionRefused with the message ``unavailable`` when the
    transition is not available to them in the object's state (the
    workflow's subscribers may refuse it too).
    """
    if transition_id not in available_transitions(obj):
        raise TransitionRefused(text(unavailable), obj.absolute_url())
    workflow = api.portal.get_tool("portal_workflow")
    workflow.doActionFor(obj, transition_id, comment=(comment or "").strip())


def comment_of(event):
    """The comment given with a DCWorkflow transition event."""
    return ((event.kwargs or {}).get("comment") or "").strip()
