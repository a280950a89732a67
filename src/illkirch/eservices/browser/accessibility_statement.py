"""« Déclaration d'accessibilité »: the site's accessibility statement in
the format of the RGAA (état de conformité, résultats des tests, contenus
non accessibles, établissement de la déclaration, retour d'information et
contact, voies de recours), filled from the browser tests' audit and the
site's settings (accessibility/site.py). Linked from every page's footer
(the « Page de la déclaration d'accessibilité » setting)."""

from illkirch.eservices import _
from illkirch.eservices import town
from illkirch.eservices.accessibility.site import site_statement
from illkirch.eservices.dates import format_date
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

import datetime


class AccessibilityStatement(BrowserView):
    index = ViewPageTemplateFile("templates/accessibility_statement.pt")
    page_title = _("heading_accessibility_statement", default="Accessibility statement")

    def __call__(self):
        self.facts = site_statement(api.portal.get().absolute_url())
        return self.index()

    def state(self, key="state"):
        """A state of the facts as its words (« partiellement conforme »)."""
        return town.COMPLIANCE[self.facts[key]]

    def date(self):
        """The audit's day, « 06/12/2026 » ("" without an audit)."""
        value = self.facts["date"]
        if not value:
            return ""
        return format_date(datetime.date.fromisoformat(value[:10]))

    def rate(self):
        """« 97,5 » (French decimal comma), "" without an audit."""
        value = self.facts["rate"]
        if value is None:
            return ""
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")

    def widths(self, widths=None):
        """« 320 et 1280 » (pixels)."""
        widths = [str(width) for width in (widths or self.facts["results"]["widths"])]
        if len(widths) < 2:
            return "".join(widths)
        message = _(
            "list_and",
            default="${first} and ${last}",
            mapping={"first": ", ".join(widths[:-1]), "last": widths[-1]},
        )
        return translate(message, context=self.request)

    def tags(self):
        return ", ".join(self.facts["tags"])
