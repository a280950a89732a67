"""Test fixtures of « Dites-le-nous une fois » (#17): a service whose
questions the household answers and whose proof of address is a reusable
document, and its prefilling mapping."""

from plone import api

import transaction


SERVICE_ID = "attestation-accueil"
SERVICE_TITLE = "Attestation d'accueil"
PROOF = "justificatif-de-domicile"
PROOF_TITLE = "Justificatif de domicile"
PHOTO = "photo"

FIELDS = """<?xml version="1.0" encoding="utf-8"?>
<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema>
    <fieldset name="demandeur" label="Le demandeur">
      <field name="nom" type="zope.schema.TextLine">
        <title>Nom du demandeur</title>
        <max_length>60</max_length>
      </field>
      <field name="prenom" type="zope.schema.TextLine">
        <title>Prénom du demandeur</title>
      </field>
      <field name="naissance" type="zope.schema.Date">
        <title>Date de naissance du demandeur</title>
      </field>
      <field name="adresse" type="zope.schema.TextLine">
        <title>Adresse du demandeur</title>
      </field>
      <field name="courriel" type="plone.schema.email.Email">
        <title>Courriel</title>
        <required>False</required>
      </field>
      <field name="telephone" type="zope.schema.TextLine">
        <title>Téléphone</title>
        <required>False</required>
      </field>
    </fieldset>
    <fieldset name="enfant" label="L'enfant">
      <field name="enfant_prenom" type="zope.schema.TextLine">
        <title>Prénom de l'enfant</title>
      </field>
      <field name="enfant_naissance" type="zope.schema.Date">
        <title>Date de naissance de l'enfant</title>
      </field>
      <field name="sejour" type="zope.schema.Choice">
        <title>Durée du séjour</title>
        <values>
          <element>Une semaine</element>
          <element>Un mois</element>
        </values>
      </field>
    </fieldset>
  </schema>
</model>
"""

# The mapping the editor sets (question → datum of the household).
MAPPING = {
    "nom": "holder_last_name",
    "prenom": "holder_first_name",
    "naissance": "holder_birth_date",
    "adresse": "address",
    "courriel": "email",
    "telephone": "mobile",
    "enfant_prenom": "member_first_name",
    "enfant_naissance": "member_birth_date",
}
# What the mapping gives Amélie Lire's household (demo), Léo concerned.
AMELIE_PREFILL = {
    "nom": "Lire",
    "prenom": "Amélie",
    "naissance": "1986-03-14",
    "adresse": "12 rue de la Poste, 67400 Illkirch-Graffenstaden",
    "courriel": "amelie.lire@example.org",
    "telephone": "06 12 34 56 78",
}
LEO_PREFILL = {"enfant_prenom": "Léo", "enfant_naissance": "2016-09-21"}


def create_service(portal, mapping=None, commit=False):
    """The service « Attestation d'accueil » (concerning a child of the
    household) in the demo's services folder: its proof of address has the
    type « justificatif-domicile »; ``mapping`` (e.g. ``MAPPING``) set."""
    from illkirch.eservices.reuse import prefill

    folder = portal["demarches"]
    if SERVICE_ID not in folder:
        with api.env.adopt_roles(["Manager"]):
            service = api.content.create(
                container=folder,
                type="Service",
                id=SERVICE_ID,
                title=SERVICE_TITLE,
                category="Enfance et éducation",
                concerns="child",
                agents_group="agents-enfance",
                processing_days=5,
            )
            service.fields_model = FIELDS
            api.content.create(
                container=service,
                type="SupportingDocument",
                id=PROOF,
                title=PROOF_TITLE,
                required=True,
                postable=False,
                reusable_type="justificatif-domicile",
            )
            api.content.create(
                container=service,
                type="SupportingDocument",
                id=PHOTO,
                title="Photo",
                required=False,
                postable=False,
            )
            api.content.transition(service, to_state="published")
            service.reindexObject()
    service = folder[SERVICE_ID]
    if mapping:
        prefill.set_mapping(service, mapping)
    if commit:
        transaction.commit()
    return service


def answers():
    """Valid answers to the service (``POST /@requests``' ``answers``)."""
    return dict(
        AMELIE_PREFILL,
        enfant_prenom="Léo",
        enfant_naissance="2016-09-21",
        sejour="Une semaine",
    )
