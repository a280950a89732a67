"""``GET /@accessibility``: the accessibility statement's facts, as its page
(``@@declaration-accessibilite``) shows them, filled from the browser
tests' audit and the site's settings (accessibility/site.py). Public.

    {
      "@id": ".../@accessibility",
      "town": "Ville d'Illkirch-Graffenstaden", "url": "https://…",
      "state": "partial",            # none | partial | full: the lower of
      "state_setting": "partial",    # the town's setting and
      "state_audit": "full",         # what the audit allows
      "state_title": "partiellement conforme",
      "rate": 100.0, "date": "2026-12-06T11:37:18.188Z",
      "results": {"pages": 40, "checks": 80, "widths": [320, 1280],
                  "rules": 50, "rules_respected": 50, "violations": 0},
      "violations": [{"id", "help", "impact", "pages": [{path, title, width}]}],
      "non_compliant": [{"title", "detail"}], "derogations": […], "exempt": […],
      "technologies": ["HTML5", …], "axe_core": "4.12.1",
      "chromium": "156.0.…", "tags": ["wcag2a", …],
      "pages": [{"path", "title", "widths"}],
      "contact": {"email", "phone", "phone_href", "address"},
      "remedies": {"form", "delegates", "address"}
    }
"""

from illkirch.eservices import town
from illkirch.eservices.accessibility.site import site_statement
from plone import api
from plone.restapi.services import Service
from zope.i18n import translate


class AccessibilityGet(Service):
    def reply(self):
        portal_url = api.portal.get().absolute_url()
        facts = site_statement(portal_url)
        return {
            "@id": f"{portal_url}/@accessibility",
            **facts,
            "state_title": translate(
                town.COMPLIANCE[facts["state"]], context=self.request
            ),
        }
