"""What the citizen pages show: the tab of « Mon espace », the basket's
forms of « Mes comptes » and the status messages of its POSTs."""

from urllib.parse import unquote

import binascii
import html
import re
import struct


BASKET_ADDED = "La facture est dans votre panier."
BASKET_REMOVED = "La facture n'est plus dans votre panier."


def status_messages(response):
    """The texts of the status messages a response sets (Plone's
    ``statusmessages`` cookie: base64 of, per message, a 2-byte header, 11
    bits of text length and 5 of type length, then the text and the type)."""
    value = unquote(response.cookies.get("statusmessages", "").strip('"'))
    try:
        data = binascii.a2b_base64(value)
    except binascii.Error:
        return []
    texts = []
    while len(data) > 1:
        (size,) = struct.unpack("!H", data[:2])
        end = 2 + (size >> 5)
        texts.append(data[2:end].decode("utf-8", "replace"))
        data = data[end + (size & 31) :]
    return texts


def shows(text):
    """``timed`` check: the answer sets the status message ``text``."""
    return lambda response: (
        None
        if text in status_messages(response)
        else f"no message « {text} »: {status_messages(response)!r}"
    )


def forget_status_messages(session):
    """Drop Plone's status message cookie (set by the basket's POSTs): a
    browser would show it on the next page, which our timing leaves out."""
    for cookie in list(session.cookies):
        if cookie.name == "statusmessages":
            session.cookies.clear(cookie.domain, cookie.path, cookie.name)


def tab_check(title):
    """``timed`` check: the page is the tab ``title`` of « Mon espace »."""
    marker = f'id="eservices-tab-title">{title}<'
    return lambda response: None if marker in response.text else f"no tab « {title} »"


def basket_form(page):
    """``(authenticator, [uid of each « Régie Ville » invoice to pay])`` from
    the page « Mes comptes » (the forms « Ajouter au panier »)."""
    unpaid = page.split('id="releve"')[0]
    token = re.search(r'name="_authenticator" value="([^"]+)"', unpaid)
    uids = []
    for row in re.findall(r"<tr>(.*?)</tr>", unpaid, re.S):
        uid = re.search(r'name="uid" value="([^"]+)"', row)
        if uid and "Régie Ville" in html.unescape(row):
            uids.append(uid.group(1))
    return (token.group(1) if token else None), uids
