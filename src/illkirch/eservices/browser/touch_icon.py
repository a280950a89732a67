"""The town's touch icon (the icon a phone puts on its home screen), not
Plone's: Barceloneta's theme (its index.html, applied by Diazo) writes six
``apple-touch-icon`` links to Plone's icons into every page's head; for the
add-on's layer, a transform after the theme's replaces them with one link
to the demo town's icon (static/apple-touch-icon-illkirch.png, drawn by
scripts/make_touch_icon.py from the emblem). Links of another theme are
left alone."""

from illkirch.eservices.interfaces import IIllkirchEservicesLayer
from plone import api
from plone.transformchain.interfaces import ITransform
from repoze.xmliter.serializer import XMLSerializer
from zope.component import adapter
from zope.interface import Interface
from zope.interface import implementer


TOUCH_ICON = "++plone++illkirch.eservices/apple-touch-icon-illkirch.png"
TOUCH_ICON_SIZE = "180x180"
PLONE_ICONS = "barceloneta-apple-touch-icon"


@implementer(ITransform)
@adapter(Interface, IIllkirchEservicesLayer)
class TownTouchIcon:
    # after the theme (plone.app.theming: 8850), before plone.protect (9000)
    order = 8860

    def __init__(self, published, request):
        self.published = published
        self.request = request

    def transformBytes(self, result, encoding):
        return None

    def transformString(self, result, encoding):
        return None

    def transformUnicode(self, result, encoding):
        return None

    def transformIterable(self, result, encoding):
        if not isinstance(result, XMLSerializer):
            return None  # not a themed page
        links = result.tree.xpath(
            "/html/head/link[starts-with(@rel, 'apple-touch-icon')]"
            f"[contains(@href, '{PLONE_ICONS}')]"
        )
        if not links:
            return None
        first = links[0]
        for name in list(first.attrib):
            del first.attrib[name]
        first.set("rel", "apple-touch-icon")
        first.set("sizes", TOUCH_ICON_SIZE)
        first.set("href", f"{api.portal.get().absolute_url()}/{TOUCH_ICON}")
        for link in links[1:]:
            link.getparent().remove(link)
        return result
