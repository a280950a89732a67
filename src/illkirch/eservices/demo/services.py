"""The demo catalogue of online services: three services built with
easyform, with their supporting documents, in a public folder."""

from plone import api


FOLDER_ID = "demarches"

PERISCOLAIRE_FIELDS = """<?xml version="1.0" encoding="utf-8"?>
<model xmlns="http://namespaces.plone.org/supermodel/schema"
       xmlns:form="http://namespaces.plone.org/supermodel/form">
  <schema>
    <fieldset name="inscription" label="Inscription"
              description="Indiquez l'école et les temps d'accueil souhaités. L'inscription vaut pour l'année scolaire entière.">
      <field name="ecole" type="zope.schema.Choice">
        <title>École fréquentée</title>
        <values>
          <element>École maternelle Libermann</element>
          <element>École élémentaire Libermann</element>
          <element>École maternelle Sud</element>
          <element>École élémentaire Sud</element>
          <element>École élémentaire Nord</element>
        </values>
      </field>
      <field name="classe" type="zope.schema.Choice">
        <title>Classe à la rentrée</title>
        <values>
          <element>Petite section</element>
          <element>Moyenne section</element>
          <element>Grande section</element>
          <element>CP</element>
          <element>CE1</element>
          <element>CE2</element>
          <element>CM1</element>
          <element>CM2</element>
        </values>
      </field>
      <field name="accueils" type="zope.schema.Set">
        <title>Temps d'accueil souhaités</title>
        <description>Cochez tous les temps dont votre enfant a besoin.</description>
        <value_type type="zope.schema.Choice">
          <values>
            <element>Accueil du matin</element>
            <element>Restauration scolaire</element>
            <element>Accueil du soir</element>
            <element>Mercredi</element>
          </values>
        </value_type>
      </field>
      <field name="date_debut" type="zope.schema.Date">
        <title>À partir du</title>
        <description>Premier jour d'accueil souhaité.</description>
      </field>
    </fieldset>
    <fieldset name="sante" label="Santé et autorisations"
              description="Ces informations restent entre le service périscolaire et les animateurs qui accueillent votre enfant.">
      <field name="allergies" type="zope.schema.Text">
        <title>Allergies ou régime alimentaire</title>
        <description>Laissez vide s'il n'y en a pas. Un projet d'accueil individualisé (PAI) se prépare avec le médecin scolaire.</description>
        <required>False</required>
        <max_length>1000</max_length>
      </field>
      <field name="personne_autorisee" type="zope.schema.TextLine">
        <title>Autre personne autorisée à venir chercher l'enfant</title>
        <description>Nom, prénom et téléphone.</description>
        <required>False</required>
        <max_length>200</max_length>
      </field>
      <field name="droit_image" type="zope.schema.Bool">
        <title>J'autorise la prise de photos de mon enfant lors des activités</title>
        <required>False</required>
      </field>
    </fieldset>
  </schema>
</model>
"""

PASSPORT_FIELDS = """<?xml version="1.0" encoding="utf-8"?>
<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema>
    <fieldset name="titre" label="Titre demandé"
              description="Une pré-demande en ligne sur le site de l'ANTS fait gagner du temps au guichet : notez son numéro si vous l'avez faite.">
      <field name="titre" type="zope.schema.Choice">
        <title>Titre demandé</title>
        <values>
          <element>Passeport</element>
          <element>Carte nationale d'identité</element>
          <element>Passeport et carte nationale d'identité</element>
        </values>
      </field>
      <field name="motif" type="zope.schema.Choice">
        <title>Motif</title>
        <values>
          <element>Première demande</element>
          <element>Renouvellement</element>
          <element>Perte ou vol</element>
          <element>Changement d'état civil ou d'adresse</element>
        </values>
      </field>
      <field name="predemande" type="zope.schema.TextLine">
        <title>Numéro de pré-demande ANTS</title>
        <description>Dix caractères, par exemple 1A2B3C4D5E.</description>
        <required>False</required>
        <max_length>10</max_length>
        <min_length>10</min_length>
      </field>
    </fieldset>
    <fieldset name="creneau" label="Rendez-vous"
              description="Le service vous propose un créneau proche de vos préférences par courriel ou par téléphone.">
      <field name="jour_souhaite" type="zope.schema.Date">
        <title>Jour souhaité</title>
      </field>
      <field name="moment" type="zope.schema.Choice">
        <title>Moment de la journée</title>
        <values>
          <element>Matin</element>
          <element>Après-midi</element>
          <element>Indifférent</element>
        </values>
      </field>
    </fieldset>
  </schema>
</model>
"""

SIGNALEMENT_FIELDS = """<?xml version="1.0" encoding="utf-8"?>
<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema>
    <fieldset name="signalement" label="Le problème"
              description="Décrivez ce que vous avez constaté. En cas de danger immédiat, appelez le 17 ou le 112.">
      <field name="nature" type="zope.schema.Choice">
        <title>Nature du problème</title>
        <values>
          <element>Chaussée ou trottoir abîmé</element>
          <element>Éclairage public en panne</element>
          <element>Dépôt sauvage</element>
          <element>Mobilier urbain dégradé</element>
          <element>Autre</element>
        </values>
      </field>
      <field name="description" type="zope.schema.Text">
        <title>Description</title>
        <max_length>2000</max_length>
      </field>
    </fieldset>
    <fieldset name="lieu" label="Le lieu"
              description="Plus le lieu est précis, plus l'intervention est rapide : numéro de rue, repère proche.">
      <field name="adresse" type="zope.schema.TextLine">
        <title>Adresse ou lieu</title>
        <max_length>200</max_length>
      </field>
      <field name="constate_le" type="zope.schema.Date">
        <title>Constaté le</title>
        <required>False</required>
      </field>
    </fieldset>
  </schema>
</model>
"""

SERVICES = (
    {
        "id": "inscription-periscolaire",
        "title": "Inscription périscolaire",
        "description": "Inscrire un enfant scolarisé à Illkirch-Graffenstaden "
        "à l'accueil du matin, à la cantine, à l'accueil du soir ou le mercredi.",
        "category": "Enfance et éducation",
        "concerns": "child",
        "agents_group": "agents-enfance",
        "processing_days": 10,
        "instructions": "Préparez une attestation d'assurance scolaire et le "
        "carnet de vaccination de l'enfant (pages des vaccins). Vous pouvez "
        "les joindre en PDF, JPEG ou PNG, ou les envoyer par courrier.",
        "fields": PERISCOLAIRE_FIELDS,
        "documents": (
            (
                "Attestation d'assurance scolaire",
                "Responsabilité civile et individuelle accident de l'année scolaire.",
                True,
                True,
            ),
            (
                "Carnet de vaccination",
                "Les pages des vaccins obligatoires.",
                True,
                True,
            ),
            (
                "Projet d'accueil individualisé (PAI)",
                "Seulement si votre enfant en a un.",
                False,
                True,
            ),
        ),
    },
    {
        "id": "rendez-vous-passeport-cni",
        "title": "Demande de rendez-vous passeport / carte d'identité",
        "description": "Demander un rendez-vous au guichet pour déposer un "
        "dossier de passeport ou de carte nationale d'identité.",
        "category": "Papiers d'identité et citoyenneté",
        "concerns": "adult",
        "agents_group": "agents-population",
        "processing_days": 5,
        "instructions": "La personne concernée devra se présenter en personne "
        "au rendez-vous avec son ancien titre et un justificatif de domicile.",
        "fields": PASSPORT_FIELDS,
        "documents": (
            (
                "Justificatif de domicile de moins d'un an",
                "Facture d'énergie, de téléphone ou avis d'imposition.",
                False,
                True,
            ),
        ),
    },
    {
        "id": "signalement-voie-publique",
        "title": "Signalement sur la voie publique",
        "description": "Signaler un problème dans l'espace public : chaussée, "
        "éclairage, propreté, mobilier urbain.",
        "category": "Cadre de vie",
        "concerns": "none",
        "agents_group": "agents-voirie",
        "processing_days": 15,
        "instructions": "Une photo aide les équipes à intervenir : vous pouvez "
        "en joindre une (JPEG ou PNG).",
        "fields": SIGNALEMENT_FIELDS,
        "documents": (
            ("Photo", "Une photo du problème, si vous en avez une.", False, False),
        ),
    },
)


def all_services():
    from illkirch.eservices.demo import civil_status

    return SERVICES + civil_status.SERVICES


def create_services(portal):
    """The folder « Démarches en ligne » and its services (idempotent)."""
    if FOLDER_ID in portal.objectIds():
        folder = portal[FOLDER_ID]
    else:
        folder = api.content.create(
            container=portal,
            type="Folder",
            id=FOLDER_ID,
            title="Démarches en ligne",
            description="Les démarches que vous pouvez faire en ligne, "
            "depuis votre espace citoyen.",
        )
        api.content.transition(folder, to_state="published")
    for info in all_services():
        if info["id"] in folder.objectIds():
            continue
        service = api.content.create(
            container=folder,
            type="Service",
            id=info["id"],
            title=info["title"],
            description=info["description"],
            category=info["category"],
            concerns=info["concerns"],
            agents_group=info["agents_group"],
            processing_days=info["processing_days"],
            instructions=info["instructions"],
            account_required=info.get("account_required", True),
            civil_status_act=info.get("civil_status_act", ""),
        )
        service.fields_model = info["fields"]
        for title, description, required, postable in info["documents"]:
            api.content.create(
                container=service,
                type="SupportingDocument",
                title=title,
                description=description,
                required=required,
                postable=postable,
            )
        api.content.transition(service, to_state="published")
        service.reindexObject()
    return folder
