"""The easyform action « Créer une demande »: turns a submission of a
service's form into a Request. A new Service has it (the default of
``IService.actions_model``); editors see it in the form's « Actions »
screen, beside the other easyform actions they may add (a mailer…)."""

from collective.easyform.actions import Action
from collective.easyform.actions import ActionFactory
from illkirch.eservices import _
from illkirch.eservices.requests import submission as submissions
from plone.supermodel.exportimport import BaseHandler
from zope.interface import Interface
from zope.interface import implementer


class ICreateRequest(Interface):
    """Create a request of the portal from the submission."""


@implementer(ICreateRequest)
class CreateRequest(Action):
    __doc__ = ICreateRequest.__doc__

    def onSuccess(self, fields, request):
        submission = submissions.current_submission(request)
        if submission is None:
            # Easyform's own form view: the portal's wizard is the way in.
            return {"service": submissions.NOT_OPEN}
        submissions.create_request(submission)
        return None


CreateRequestAction = ActionFactory(
    CreateRequest,
    _("label_create_request_action", default="Create a request"),
    "illkirch.eservices.AddService",
)
CreateRequestHandler = BaseHandler(CreateRequest)
