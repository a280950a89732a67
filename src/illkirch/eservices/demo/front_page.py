"""The demo site's home page text."""

from plone import api
from plone.app.textfield.value import RichTextValue


FRONT_PAGE = """\
<p>Bienvenue sur l'Espace citoyen de la ville d'Illkirch-Graffenstaden.
Créez votre compte une seule fois pour votre foyer, puis effectuez vos
démarches en ligne, suivez l'avancement de vos demandes et réglez vos
factures par carte bancaire, à toute heure.</p>
<ul>
  <li><a href="{site_path}/@@mon-espace">Accéder à mon espace</a>
    (connexion requise)</li>
  <li><a href="resolveuid/{faq_uid}">Consulter les questions fréquentes</a></li>
</ul>
<p>Les demandes d'actes de naissance, de mariage et de décès peuvent être
faites sans compte.</p>
"""


def set_front_page(portal, faq):
    """Give the site root its welcome text unless it already has one.

    The FAQ link goes through ``resolveuid`` (Plone renders the real URL);
    the site root has no catalog entry to resolve, so "Mon espace" is linked
    by the site's path, right for the demo served at http://host/Plone.
    """
    if getattr(portal, "text", None) and portal.text.raw:
        return False
    html = FRONT_PAGE.format(
        site_path="/".join(portal.getPhysicalPath()), faq_uid=api.content.get_uuid(faq)
    )
    portal.text = RichTextValue(html, "text/html", "text/x-html-safe")
    return True
