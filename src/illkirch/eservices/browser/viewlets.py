"""Viewlets customised for the add-on's layer: the page's title, the skip
link (first in the page's header)."""

from html import escape
from illkirch.eservices import _
from plone.app.layout.viewlets import common
from plone.app.viewletmanager.manager import OrderedViewletManager
from zope.i18n import translate
from zope.i18nmessageid import Message


ERROR_TITLE = _("title_with_errors", default="Error: ${title}")
# Plone's own pages that the portal shows, by view name: without a title of
# their own they would all be called like the home page.
PLONE_PAGES = {
    "login": _("title_login", default="Log in"),
    "sitemap": _("title_sitemap", default="Site map"),
    "contact-info": _("title_contact", default="Contact"),
    "accessibility-info": _("title_accessibility", default="Accessibility"),
    "search": _("title_search", default="Search"),
}


class TitleViewlet(common.TitleViewlet):
    """The browser title of a view of ours, from its ``page_title``:
    « [Erreur : ][<step> — ]<page title> — <site title> ».

    A view may also give ``title_step()`` (a wizard's « Étape 2 sur 4 :
    Adresse ») and ``has_errors()`` (the page shows errors to correct), so
    that every step and error state of a form has its own title. Plone's
    own pages get theirs from ``PLONE_PAGES``.
    """

    def update(self):
        title = getattr(self.view, "page_title", None) or PLONE_PAGES.get(
            getattr(self.view, "__name__", None)
        )
        if not title:
            return super().update()
        parts = [title]
        step = getattr(self.view, "title_step", None)
        step = step() if callable(step) else step
        if step:
            parts.insert(0, step)
        text = " — ".join(translate(part, context=self.request) for part in parts)
        has_errors = getattr(self.view, "has_errors", None)
        if callable(has_errors) and has_errors():
            text = translate(
                Message(ERROR_TITLE, mapping={"title": text}), context=self.request
            )
        self.site_title = self.sep.join([escape(text), self.site_title_setting])


SKIP_LINK = "illkirch.eservices.skip_link"


class PortalHeaderManager(OrderedViewletManager):
    """Plone's page header, the skip link always first (the Barceloneta
    theme puts the header's viewlets first in its page)."""

    def sort(self, viewlets):
        result = super().sort(viewlets)
        return [v for v in result if v[0] == SKIP_LINK] + [
            v for v in result if v[0] != SKIP_LINK
        ]


class SkipLinkViewlet(common.ViewletBase):
    """« Aller au contenu »: the first link of every page, to the content
    (past the header and the navigation)."""

    def index(self):
        label = escape(
            translate(
                _("skip_to_content", default="Skip to content"), context=self.request
            )
        )
        return (
            '<a class="eservices-skip-link visually-hidden-focusable" '
            f'href="#portal-column-content">{label}</a>'
        )
