"""``GET /@town``: the town's identity, as every page's header and footer
show it (browser/identity.py). Public.

    {
      "@id": ".../@town",
      "name": "Ville d'Illkirch-Graffenstaden",
      "logo": ".../++plone++illkirch.eservices/logo-illkirch.svg",
      "address": ["Mairie d'Illkirch-Graffenstaden", "181 route de Lyon", …],
      "opening_hours": ["Du lundi au vendredi : …", …],
      "phone": "03 53 01 00 00", "phone_href": "tel:0353010000",
      "links": [{"id": "follow-request", "title": "Suivre ma demande",
                 "url": ".../@@suivre-ma-demande"}, …]
    }
"""

from illkirch.eservices import town
from plone import api
from plone.restapi.services import Service
from zope.i18n import translate


class TownGet(Service):
    def reply(self):
        portal_url = api.portal.get().absolute_url()
        contact = town.contact()
        return {
            "@id": f"{portal_url}/@town",
            "name": town.name(),
            "logo": town.logo_url(portal_url),
            "address": contact["address"],
            "opening_hours": contact["opening_hours"],
            "phone": contact["phone"],
            "phone_href": contact["phone_href"],
            "links": [
                {
                    "id": link["id"],
                    "title": translate(link["title"], context=self.request),
                    "url": link["url"],
                }
                for link in town.footer_links(portal_url)
            ],
        }
