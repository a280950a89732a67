"""``POST|GET /@payment-notify/<transaction>``: the bank's answer about a
payment (``payments/notification.py``). Anonymous, without CSRF check: its
trust comes from the bank's signature, checked by eopayment. Answers 200
``OK`` (text) for a handled answer, 400 for an unusable one, never 500
(ZODB conflicts excepted: Zope retries them)."""

from illkirch.eservices.payments import notification
from illkirch.eservices.restapi.traversal import PathParams
from illkirch.eservices.restapi.traversal import TraversingService
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from ZODB.POSException import ConflictError
from zope.interface import alsoProvides

import logging
import transaction


logger = logging.getLogger(__name__)


def query_string(request):
    """What the bank sent: the form body of a POST, else the query string."""
    if request.get("REQUEST_METHOD", "GET") == "POST":
        body = request.get("BODY") or b""
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        if body and "=" in body and not body.lstrip().startswith(("{", "[")):
            return body
    raw = request.get("QUERY_STRING") or ""
    if raw:
        return raw
    return urlencode([(key, value) for key, value in request.form.items()], doseq=True)


def answer(request, transaction_id):
    """Handle the bank's answer; set the response; return its text."""
    alsoProvides(request, IDisableCSRFProtection)
    response = request.response
    response.setHeader("Content-Type", "text/plain; charset=utf-8")
    response.setHeader("Cache-Control", "no-store")
    try:
        notification.handle(transaction_id, query_string(request))
    except ConflictError:
        raise
    except notification.NotificationError:
        response.setStatus(400)
        return "Bad Request"
    except Exception:  # noqa: BLE001 - never a 500 for the bank
        logger.exception("Payment notification %r failed", transaction_id)
        transaction.doom()
        response.setStatus(400)
        return "Bad Request"
    response.setStatus(200)
    return "OK"


class PaymentNotify(TraversingService):
    """The REST service (``Accept: application/json`` or ``/++api++/``)."""

    # The bank posts a form, signed by the bank: no JSON (restapi/json_writes.py).
    accepted_content_types = None

    def check_permission(self):
        """Banks are anonymous: ``zope2.View`` on the site is enough."""

    def render(self):
        return answer(self.request, self.params[0] if len(self.params) == 1 else "")


class PaymentNotifyView(PathParams, BrowserView):
    """The same at ``/@payment-notify/<transaction>`` for banks sending any
    other Accept header (the REST service only answers JSON clients)."""

    def __call__(self):
        return answer(self.request, self.params[0] if len(self.params) == 1 else "")
