"""Events of the conversation, for the packages built on it (the
statistics count the messages posted)."""

from zope.interface import Attribute
from zope.interface import implementer
from zope.interface.interfaces import IObjectEvent
from zope.interface.interfaces import ObjectEvent


class IMessagePosted(IObjectEvent):
    """A message (or an internal note) was posted on a request."""

    message = Attribute("The stored conversation.store.Message")


@implementer(IMessagePosted)
class MessagePosted(ObjectEvent):
    """``object``: the Request."""

    def __init__(self, obj, message):
        super().__init__(obj)
        self.message = message
