"""Catalog indexers of households, requests and invoices
(profiles/default/catalog.xml)."""

from Acquisition import aq_inner
from Acquisition import aq_parent
from illkirch.eservices.content.billing import IInvoice
from illkirch.eservices.content.household import IHousehold
from illkirch.eservices.content.request import IRequest
from illkirch.eservices.folding import fold
from plone.indexer import indexer
from zope.interface import Interface

import re


_WORD = re.compile(r"[a-z0-9]+")


def name_words(*names):
    """The folded words of people's names (no accents, lower case), for the
    ``request_names`` index and the queries that search it."""
    words = set()
    for name in names:
        words.update(_WORD.findall(fold(name or "")))
    return sorted(words)


@indexer(IRequest)
def request_names(obj):
    """The words of the names of the member concerned, of the requester
    (account-less requests) and of the household's members."""
    names = [obj.member_name, obj.requester_name]
    parent = aq_parent(aq_inner(obj))
    if IHousehold.providedBy(parent):
        names += [person.Title() for person in parent.persons()]
    return name_words(*names)


@indexer(IRequest)
def request_due(obj):
    return obj.due_date


@indexer(IRequest)
def household_title(obj):
    """The title of the request's household (its holder's name), the
    queue's « Demandeur » when the request has no account-less requester
    (metadata: the queue's rows read it without waking the household up,
    #22); "" for account-less requests."""
    parent = aq_parent(aq_inner(obj))
    return parent.Title() if IHousehold.providedBy(parent) else ""


# The numbers (#22): each index holds its own type's numbers only. Both
# types store theirs in ``number``; an index reading that attribute held
# every request and every invoice (the invoices' « V-… » in the requests'
# index, the requests' in the invoices'). Every other object gives nothing
# (AttributeError: ZCatalog leaves it out of the index and the column holds
# ``Missing.Value``), with no acquisition walk up to a request or an invoice.


@indexer(IRequest)
def request_number(obj):
    return obj.number


@indexer(Interface)
def no_request_number(obj):
    raise AttributeError("request_number")


@indexer(IInvoice)
def invoice_number(obj):
    return obj.number


@indexer(Interface)
def no_invoice_number(obj):
    raise AttributeError("invoice_number")


@indexer(IInvoice)
def invoice_issue_date(obj):
    return obj.issue_date


@indexer(IHousehold)
def household_billing_account(obj):
    """The billing account number as the billing software writes it (no
    surrounding spaces); a household without one is not in the index."""
    account = (obj.billing_account or "").strip()
    if not account:
        raise AttributeError("billing_account")
    return account
