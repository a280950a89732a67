"""Plone's forms that fire a workflow transition, refused on requests but
to administrators (requests/workflow_guard.py): they send to the request's
processing form with the reason, and fire nothing."""

from illkirch.eservices.requests import workflow_guard
from plone.app.content.browser.content_status_history import ContentStatusHistoryView
from plone.app.content.browser.content_status_modify import ContentStatusModifyView
from Products.statusmessages.interfaces import IStatusMessage
from ZPublisher.mapply import mapply


class _ProcessingFormOnly:
    def __call__(self):
        if workflow_guard.may_use_plone_workflow(self.context):
            # Plone's view takes its arguments from the form, as the
            # publisher would give them to it.
            return mapply(super().__call__, (), self.request)
        IStatusMessage(self.request).add(workflow_guard.REFUSED, type="error")
        response = self.request.response
        response.redirect(workflow_guard.processing_form_url(self.context))
        return ""


class ContentStatusModify(_ProcessingFormOnly, ContentStatusModifyView):
    """``content_status_modify`` on a request."""


class ContentStatusHistory(_ProcessingFormOnly, ContentStatusHistoryView):
    """``content_status_history`` (the form posting to the former) on a
    request."""
