"""The demo town's pages linked from the footer: legal notice and personal
data (their paths are the defaults of the « Espace citoyen » settings,
IEservicesSettings). Short demonstration texts: a real town writes its own.
The accessibility statement is a page of the add-on
(``@@declaration-accessibilite``), filled from the tests' audit."""

from plone import api
from plone.app.textfield.value import RichTextValue


LEGAL_PAGES = (
    {
        "id": "mentions-legales",
        "title": "Mentions légales",
        "description": "Éditeur, hébergeur et responsable de la publication "
        "de l'Espace citoyen.",
        "text": """\
<h2>Éditeur</h2>
<p>Ville d'Illkirch-Graffenstaden, 181 route de Lyon,
67400 Illkirch-Graffenstaden.</p>
<h2>Directeur de la publication</h2>
<p>Le maire de la ville d'Illkirch-Graffenstaden.</p>
<h2>Hébergement</h2>
<p>Site de démonstration : l'hébergeur réel est indiqué ici par la ville.</p>
""",
    },
    {
        "id": "donnees-personnelles",
        "title": "Données personnelles",
        "description": "Ce que l'Espace citoyen conserve, pour combien de "
        "temps, et vos droits.",
        "text": """\
<p>La ville conserve les données de votre compte, de votre foyer, de vos
demandes et de vos factures pour traiter vos démarches. Elles ne quittent
pas ses serveurs ; le numéro de votre carte bancaire n'est jamais transmis au
portail.</p>
<h2>Vos droits</h2>
<ul>
  <li>Accès et portabilité : « Télécharger mes données » dans l'onglet
    « Compte » de Mon espace.</li>
  <li>Rectification : l'onglet « Compte » de Mon espace.</li>
  <li>Effacement : « Fermer mon compte » dans l'onglet « Compte ».</li>
</ul>
<p>Pour toute question, adressez-vous au délégué à la protection des données
de la ville, à l'adresse de la mairie.</p>
""",
    },
)


def create_legal_pages(portal):
    """Create and publish the pages that do not exist yet (idempotent)."""
    created = []
    for page in LEGAL_PAGES:
        if page["id"] in portal.objectIds():
            continue
        document = api.content.create(
            container=portal,
            type="Document",
            id=page["id"],
            title=page["title"],
            description=page["description"],
            text=RichTextValue(page["text"], "text/html", "text/x-html-safe"),
            # linked from the footer, not tabs of the main navigation
            exclude_from_nav=True,
        )
        api.content.transition(obj=document, to_state="published")
        created.append(document)
    return created
