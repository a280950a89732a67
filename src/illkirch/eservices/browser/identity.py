"""The town's identity on every page: its logo in the header, its footer
(town hall's address, opening hours, phone, links to the site's legal
pages), and no « Powered by Plone » (Plone's colophon replaced by nothing).

The viewlets replace Plone's ``plone.logo``, ``plone.footer``,
``plone.colophon`` and its social media tags (whose image would be Plone's
logo) for the add-on's browser layer (browser/identity.zcml). What they show
comes from the « Espace citoyen » settings (town.py); the logo is Plone's
own « Site logo » (``plone.site_logo``, Site Setup → Site) when one is
uploaded, else the demo town's wordmark (static/logo-illkirch.svg).
"""

from illkirch.eservices import _
from illkirch.eservices import town
from plone import api
from plone.app.layout.links.viewlets import FaviconViewlet as PloneFaviconViewlet
from plone.app.layout.viewlets import social
from plone.app.layout.viewlets.common import ViewletBase
from Products.CMFPlone.utils import getSiteLogo
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter
from zope.i18n import translate

import os


DEFAULT_FAVICON = "++plone++illkirch.eservices/favicon-illkirch.svg"
# Plone's own site action replaced by the town's accessibility statement.
REPLACED_SITE_ACTIONS = ("accessibility",)
PLONE_TEMPLATES = os.path.dirname(social.__file__)


class LogoViewlet(ViewletBase):
    """The town's logo, a link to the site's home page.

    It leads to the site's root (not the navigation root: a folder such as
    the FAQ may be one, and the town's logo always leads home)."""

    index = ViewPageTemplateFile("templates/identity_logo.pt")

    def update(self):
        super().update()
        self.town = town.name()
        self.home_url = self.site_url
        self.logo_url = town.logo_url(self.site_url)

    def logo_alt(self):
        message = _(
            "logo_alt", default="${town} — home page", mapping={"town": self.town}
        )
        return translate(message, context=self.request)


class FooterViewlet(ViewletBase):
    """The town's footer instead of Plone's footer portlets (copyright of
    the Plone Foundation, « Powered by Plone », Plone's site actions).

    Its markup sits in ``#portal-footer-signature .card-body``: the
    Barceloneta theme's rules (Diazo) copy that into the theme's footer."""

    index = ViewPageTemplateFile("templates/identity_footer.pt")

    def update(self):
        super().update()
        self.town = town.name()
        contact = town.contact()
        self.address_lines = contact["address"]
        self.hours_lines = contact["opening_hours"]
        self.phone = contact["phone"]
        self.phone_href = contact["phone_href"]

    def links(self):
        """« Suivre ma demande » and the site's legal pages (settings)."""
        return town.footer_links(self.site_url)

    def site_actions(self):
        """Plone's site actions (site map, contact) but its generic
        accessibility page, which the town's statement replaces, and those
        leading where a link above already does."""
        context_state = getMultiAdapter(
            (self.context, self.request), name="plone_context_state"
        )
        shown = {link["url"] for link in self.links()}
        return [
            action
            for action in context_state.actions("site_actions")
            if action["id"] not in REPLACED_SITE_ACTIONS and action["url"] not in shown
        ]


class ColophonViewlet(ViewletBase):
    """Nothing: no « Powered by Plone » on the town's pages."""

    def index(self):
        return ""


class SocialTagsViewlet(social.SocialTagsViewlet):
    """Plone's social media tags (shown to anonymous visitors) with the
    town's logo as their image where Plone would give its own logo."""

    index = ViewPageTemplateFile("social_tags.pt", _prefix=PLONE_TEMPLATES)

    def _get_tags(self):
        tags = super()._get_tags()
        if town.uses_site_logo():
            return tags
        plone_logo = getSiteLogo()
        portal_state = getMultiAdapter(
            (self.context, self.request), name="plone_portal_state"
        )
        town_logo = town.logo_url(portal_state.portal_url())
        return [
            {**tag, "content": town_logo} if tag.get("content") == plone_logo else tag
            for tag in tags
        ]


class SocialTagsBodyViewlet(SocialTagsViewlet):
    index = ViewPageTemplateFile("social_tags_body.pt", _prefix=PLONE_TEMPLATES)


class FaviconViewlet(PloneFaviconViewlet):
    """The site's icon: Plone's « Site favicon » when one is uploaded, else
    the demo town's emblem (not Plone's icon)."""

    def init_favicon(self):
        super().init_favicon()
        if not api.portal.get_registry_record("plone.site_favicon", default=None):
            self.favicon_path = f"{self.site_url}/{DEFAULT_FAVICON}"
            self.mimetype = "image/svg+xml"
