"""Where the official documents (#18) are seen on the pages: the section
« Documents officiels » of a request's page (``RequestOfficialDocumentsMixin``,
mixed into ``RequestView``), the receipt's link of each row of « Demandes »
(``receipt_link``, from the catalog's metadata), the payment certificates
of « Mes comptes » (``PaymentCertificatesMixin``, mixed into
``InvoicesTab``), and ``@@document-officiel/<id>``, the download.

Who sees what is ``official_documents.access``'s rule; these views only
show it.
"""

from AccessControl import Unauthorized
from illkirch.eservices import _
from illkirch.eservices.billing import invoices
from illkirch.eservices.browser.citizen_area import AccountTab
from illkirch.eservices.dates import format_date
from illkirch.eservices.money import euros
from illkirch.eservices.official_documents import access
from illkirch.eservices.official_documents import store
from illkirch.eservices.sizes import size_text
from plone import api
from plone.namedfile.utils import stream_data
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


# The accessible text of each download link: what, of which request or
# payment, its format and size.
REQUEST_LINKS = {
    store.RECEIPT: _(
        "download_receipt_of_request",
        default="Download the filing receipt of request ${number} (PDF, ${size})",
    ),
    store.DECISION: _(
        "download_decision_of_request",
        default="Download the decision on request ${number} (PDF, ${size})",
    ),
}
CERTIFICATE_LINK = _(
    "download_payment_certificate",
    default="Download the payment certificate of ${date} (PDF, ${size})",
)
RECEIPT_SHORT = _("link_receipt_pdf", default="Filing receipt (PDF)")


def request_link_text(kind, number, size, request):
    message = REQUEST_LINKS.get(kind)
    if message is None:  # a kind the requests do not have
        return translate(access.KIND_TITLES.get(kind, kind), context=request)
    return translate(
        Message(message, mapping={"number": number, "size": size_text(size)}),
        context=request,
    )


def receipt_link(brain, request):
    """The receipt's link of a row of « Demandes », from the brain's
    metadata only (no request woken up); None without a receipt."""
    found = access.latest_from_brain(brain, store.RECEIPT)
    if found is None:
        return None
    return {
        "url": found["url"],
        "label": request_link_text(
            store.RECEIPT, brain.request_number, found["size"], request
        ),
        "short": translate(RECEIPT_SHORT, context=request),
    }


class RequestOfficialDocumentsMixin:
    """Mixed into ``browser.requests.RequestView``: its section « Documents
    officiels » (the citizen and the agents of the service alike: whoever
    sees the page sees them)."""

    def official_documents(self):
        return [
            dict(
                item,
                title=translate(item["title"], context=self.request),
                label=request_link_text(
                    item["kind"], self.context.number, item["size"], self.request
                ),
                when=AccountTab.format_time(item["issued"]),
            )
            for item in access.listing(self.context)
        ]


class PaymentCertificatesMixin:
    """Mixed into ``browser.invoices.InvoicesTab``: the certificates of the
    household's payments made in the window of « Mes comptes »."""

    def payment_certificates(self):
        titles = invoices.regie_titles()
        rows = []
        for entry in access.payment_certificates(
            self.household, since=invoices.window_start()
        ):
            document = entry["document"]
            day = format_date(entry["date"])
            rows.append(
                {
                    "url": document["url"],
                    "label": translate(
                        Message(
                            CERTIFICATE_LINK,
                            mapping={"date": day, "size": size_text(document["size"])},
                        ),
                        context=self.request,
                    ),
                    "date": day,
                    "regie": titles.get(entry["regie"], entry["regie"]),
                    "amount": euros(entry["amount_cents"]),
                    "reference": entry["reference"],
                }
            )
        return rows


@implementer(IPublishTraverse)
class OfficialDocumentDownload(BrowserView):
    """``@@document-officiel/<id>`` on a request or a payment: the PDF, as
    a download (the headers of the request's documents).

    The page is public (zope.Public in official_documents.zcml) so that the
    rule is checked here, by ``access``: an anonymous visitor is asked to
    log in; a logged-in person who may not see the object's documents (another
    household, an agent of another group) gets 404, as for an unknown id,
    never « insufficient privileges » for an object that exists."""

    document_id = None

    def publishTraverse(self, request, name):
        if self.document_id is not None:
            raise NotFound(name)
        self.document_id = name
        return self

    def __call__(self):
        try:
            document = access.get(self.context, self.document_id)
        except Unauthorized:
            if api.user.is_anonymous():
                raise  # Plone's challenge: the login form, then the download
            raise NotFound(self.document_id) from None  # not even its existence
        if document is None:
            raise NotFound(self.document_id)
        access.set_download_headers(self.request.response, document)
        return stream_data(document.file)
