"""Status badges: a colour, the status's text and an icon, never the colour
alone (WCAG 1.4.1).

``request_badge``, ``invoice_badge`` and ``account_badge`` give what the
macro ``badge`` of ``templates/status_badge.pt`` shows: the CSS classes of
its colours (``static/dashboard.css``; the requests' colours are those of
``static/eservices.css``), the text, and the path of its icon, drawn inline
in SVG and hidden from assistive technologies (the text says it all).

Any page may show one through the view ``@@eservices-badges`` (the
dashboard does; the requests' lists and pages, « Mes comptes » and an
invoice's page may too)::

    <tal:badge define="badges nocall:context/@@eservices-badges;
                       badge python:badges.for_request(row['state'])">
      <metal:badge use-macro="badges/macros/badge" />
    </tal:badge>
"""

from illkirch.eservices import _
from illkirch.eservices.accounts.household_input import STATE_TITLES
from illkirch.eservices.billing.invoices import STATE_TITLES as INVOICE_TITLES
from illkirch.eservices.requests import processing
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zope.i18nmessageid import Message


# Icons: paths in a 16 × 16 box, drawn with the text's colour.
CIRCLE = "M8 2a6 6 0 1 0 0 12a6 6 0 1 0 0-12Z"
ICONS = {
    "clock": f"{CIRCLE}M8 5v3.2l2.2 1.3",
    "alert": f"{CIRCLE}M8 4.8v3.8M8 11.2v.1",
    "check": "M2.8 8.6l3.4 3.2L13.2 4.4",
    "cross": f"{CIRCLE}M5.9 5.9l4.2 4.2M10.1 5.9l-4.2 4.2",
    "list": "M6 4.5h7M6 8h7M6 11.5h7M3 4.5h.1M3 8h.1M3 11.5h.1",
    "envelope": "M2 4h12v8H2ZM2 4.6l6 4.4l6-4.4",
    "archive": "M2 3h12v3H2ZM3 6v7h10V6M6.5 9h3",
    "euro": "M11.6 4.6a4 4 0 1 0 0 6.8M3 7h6M3 9h6",
    "pause": f"{CIRCLE}M6.6 5.6v4.8M9.4 5.6v4.8",
    "slash": f"{CIRCLE}M3.8 12.2l8.4-8.4",
    "message": "M2 3h12v8H7l-3 2.5V11H2Z",
}
REQUEST_ICONS = {
    "submitted": "clock",
    "incomplete": "alert",
    "complete": "list",
    "accepted": "check",
    "sent": "envelope",
    "rejected": "cross",
    "closed": "archive",
}
INVOICE_ICONS = {"unpaid": "euro", "paid": "check", "cancelled": "slash"}
ACCOUNT_ICONS = {
    "pending": "clock",
    "validated": "check",
    "rejected": "cross",
    "suspended": "pause",
    "closed": "archive",
}
OVERDUE = _("invoice_overdue", default="Past due date")
UNREAD_ONE = _("badge_unread_message", default="1 unread message")
UNREAD_MANY = _("badge_unread_messages", default="${count} unread messages")


def _badge(css, text, icon):
    return {"css": f"badge eservices-badge {css}", "text": text, "icon": ICONS[icon]}


def request_badge(state):
    """A request's status (the classes the request pages already use)."""
    return _badge(
        f"eservices-status eservices-status-{state}",
        processing.state_title(state),
        REQUEST_ICONS.get(state, "clock"),
    )


def invoice_badge(state):
    return _badge(
        f"eservices-invoice-status eservices-invoice-{state}",
        INVOICE_TITLES.get(state, state),
        INVOICE_ICONS.get(state, "euro"),
    )


def overdue_badge():
    """An unpaid invoice past its due date."""
    return _badge(
        "eservices-invoice-status eservices-invoice-overdue", OVERDUE, "alert"
    )


def unread_badge(count):
    """Unread messages of a request, or of all one's requests (None when
    there are none): « 2 messages non lus », never the number alone."""
    if not count:
        return None
    text = UNREAD_ONE if count == 1 else Message(UNREAD_MANY, mapping={"count": count})
    return _badge("eservices-unread", text, "message")


def account_badge(state):
    return _badge(
        f"eservices-account-status eservices-account-{state}",
        STATE_TITLES.get(state, state),
        ACCOUNT_ICONS.get(state, "clock"),
    )


class StatusBadges(BrowserView):
    """``@@eservices-badges``: the macro ``badge`` (``macros``) and the
    badges of each kind, for any page; nothing to show by itself."""

    template = ViewPageTemplateFile("templates/status_badge.pt")
    for_request = staticmethod(request_badge)
    for_invoice = staticmethod(invoice_badge)
    for_account = staticmethod(account_badge)
    overdue = staticmethod(overdue_badge)
    for_unread = staticmethod(unread_badge)

    @property
    def macros(self):
        return self.template.macros

    def __call__(self):
        raise NotFound(self.context, "eservices-badges", self.request)
