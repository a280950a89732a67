"""In a browser, a request's status changes only through the portal's
processing form (its page's « Traitement », ``@@changer-statut``), which
says what each transition does and asks for the message the citizen
receives: Plone's own forms that fire a transition (``content_status_modify``,
the ``content_status_history`` form) are refused on requests to everyone
but the site's administrators (browser/workflow_guard.py).

``POST <request>/@workflow/<transition>`` stays open: it is the documented
REST counterpart of the processing form (docs/api.md, « Processing »), and
``requests.processing``'s subscribers apply the same rules to it (required
message, history, email to the citizen)."""

from illkirch.eservices import _
from illkirch.eservices.accounts import citizens


PROCESSING_ANCHOR = "traitement"
REFUSED = _(
    "error_plone_workflow_on_request",
    default="A request's status changes only through the processing form of "
    "its page (« Processing »), which applies the portal's rules and informs "
    "the requester.",
)


def may_use_plone_workflow(request_obj):
    """Whether the current user may fire a request's transitions through
    Plone's own forms and services: administrators only."""
    return citizens.is_administrator(request_obj)


def processing_form_url(request_obj):
    """The address of the request's processing form."""
    return f"{request_obj.absolute_url()}#{PROCESSING_ANCHOR}"
