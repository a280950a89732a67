"""``GET /@retention``: what the portal keeps how long, and what the
nightly purge did (counts only). Site administrators only (Manage portal:
Manager, Site Administrator).

    {
      "@id": ".../@retention",
      "periods": [{"kind": "requests", "title": "Demandes closes ou refusées…",
                   "period": {"months": 12, "per_service": true},
                   "then": "deleted"}, …],
      "services": [{"@id": ".../demarches/acte-de-naissance",
                    "title": "Demande d'acte de naissance",
                    "retention_months": 3, "default": true}, …],
      "runs": [{"time": "2027-01-08T03:00:00+00:00",
                "counts": {"requests": 2, "documents": 3, …}}, …]
    }
"""

from illkirch.eservices.retention import periods
from illkirch.eservices.retention import purge
from plone import api
from plone.restapi.services import Service
from zope.i18n import translate


class RetentionGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        portal_url = api.portal.get().absolute_url()
        return {
            "@id": f"{portal_url}/@retention",
            "periods": [
                {
                    "kind": kind,
                    "title": translate(title, context=self.request),
                    "period": dict(period),
                    "then": then,
                }
                for kind, title, period, then in periods.TABLE
            ],
            "services": [
                {
                    "@id": service.absolute_url(),
                    "title": service.Title(),
                    "retention_months": periods.service_months(service),
                    "default": not getattr(service, "retention_months", None),
                }
                for service in _services()
            ],
            "runs": purge.last_runs(),
        }


def _services():
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Service", sort_on="sortable_title"
    )
    return [brain._unrestrictedGetObject() for brain in brains]
