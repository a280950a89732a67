"""The demo's civil-status services (acts of birth, marriage, death): no
account needed, the rules of ``requests/civil_status.py`` apply, the act is
sent by post. Their easyform models are built from the short descriptions
below, which use the field names the rules read."""

from illkirch.eservices.requests import civil_status as rules
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr


RESTRICTED_HELP = (
    "Une copie intégrale, un extrait avec filiation ou un extrait plurilingue "
    "n'est délivré qu'à la personne concernée, à son époux ou son épouse, à ses "
    "ascendants ou descendants, à son représentant légal, ou à une personne qui "
    "indique le fondement légal de sa demande (avocat, notaire…). Toute "
    "personne peut obtenir un extrait sans filiation."
)
QUALITIES = (*rules.ENTITLED_QUALITIES, "Autre (avocat, notaire, héritier…)")


def field(name, kind, title, description="", required=True, values=(), **extra):
    return dict(
        name=name,
        kind=kind,
        title=title,
        description=description,
        required=required,
        values=values,
        extra=extra,
    )


def act_fieldset(documents, with_quality):
    fields = [field(rules.DOCUMENT, "Choice", "Document demandé", values=documents)]
    if with_quality:
        fields += [
            field(rules.QUALITY, "Choice", "Vous êtes", values=QUALITIES),
            field(
                rules.LEGAL_GROUND,
                "Text",
                "Fondement légal de votre demande",
                "À indiquer si vous n'êtes ni la personne concernée ni l'un de ses "
                "proches cités plus haut (par exemple : avocat de la personne, "
                "notaire chargé de la succession).",
                required=False,
                max_length="1000",
            ),
        ]
    fields.append(
        field(
            "nombre_exemplaires",
            "Int",
            "Nombre d'exemplaires",
            "5 au plus.",
            min="1",
            max="5",
            default="1",
        )
    )
    return (
        "acte",
        "Le document",
        RESTRICTED_HELP
        if with_quality
        else "Toute personne peut obtenir un acte de décès.",
        fields,
    )


ADDRESS = (
    "adresse",
    "Adresse d'envoi",
    "L'acte est envoyé par courrier à cette adresse, en France ou à l'étranger.",
    [
        field(
            rules.COUNTRY_KIND,
            "Choice",
            "L'adresse est",
            values=("France", rules.ABROAD),
        ),
        field("destinataire", "TextLine", "Nom du destinataire", max_length="120"),
        field("adresse", "TextLine", "Numéro et rue", max_length="200"),
        field(
            "complement",
            "TextLine",
            "Complément d'adresse",
            required=False,
            max_length="200",
        ),
        field(
            rules.POSTAL_CODE,
            "TextLine",
            "Code postal",
            "Obligatoire pour une adresse en France.",
            required=False,
            max_length="12",
        ),
        field("ville", "TextLine", "Ville", max_length="100"),
        field(
            rules.COUNTRY,
            "TextLine",
            "Pays",
            "Obligatoire pour une adresse à l'étranger.",
            required=False,
            max_length="100",
        ),
    ],
)


def person(prefix, label):
    return [
        field(
            f"nom{prefix}",
            "TextLine",
            f"Nom de {label}",
            "Nom de naissance.",
            max_length="60",
        ),
        field(f"prenoms{prefix}", "TextLine", f"Prénoms de {label}", max_length="100"),
    ]


def model_xml(fieldsets):
    """An easyform (supermodel) model of these fieldsets."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<model xmlns="http://namespaces.plone.org/supermodel/schema">',
        "  <schema>",
    ]
    for name, label, description, fields in fieldsets:
        out.append(
            f"    <fieldset name={quoteattr(name)} label={quoteattr(label)} "
            f"description={quoteattr(description)}>"
        )
        for item in fields:
            out.append(
                f'      <field name="{item["name"]}" type="zope.schema.{item["kind"]}">'
            )
            out.append(f"        <title>{escape(item['title'])}</title>")
            if item["description"]:
                out.append(
                    f"        <description>{escape(item['description'])}</description>"
                )
            if not item["required"]:
                out.append("        <required>False</required>")
            for key, value in item["extra"].items():
                out.append(f"        <{key}>{escape(value)}</{key}>")
            if item["values"]:
                out.append("        <values>")
                out += [
                    f"          <element>{escape(v)}</element>" for v in item["values"]
                ]
                out.append("        </values>")
            out.append("      </field>")
        out.append("    </fieldset>")
    out += ["  </schema>", "</model>", ""]
    return "\n".join(out)


ALL_DOCUMENTS = (
    "Copie intégrale",
    "Extrait avec filiation",
    "Extrait sans filiation",
    "Extrait plurilingue",
)

BIRTH = model_xml(
    [
        act_fieldset(ALL_DOCUMENTS, with_quality=True),
        (
            "personne",
            "La personne née à Illkirch-Graffenstaden",
            "Telle qu'elle figure sur l'acte de naissance.",
            [
                *person("", "la personne"),
                field(rules.EVENT_DATE, "Date", "Date de naissance"),
                field(
                    "nom_pere",
                    "TextLine",
                    "Nom et prénoms du père",
                    required=False,
                    max_length="120",
                ),
                field(
                    "nom_mere",
                    "TextLine",
                    "Nom et prénoms de la mère",
                    required=False,
                    max_length="120",
                ),
            ],
        ),
        ADDRESS,
    ]
)
MARRIAGE = model_xml(
    [
        act_fieldset(ALL_DOCUMENTS, with_quality=True),
        (
            "epoux",
            "Les époux",
            "Le mariage a été célébré à Illkirch-Graffenstaden.",
            [
                *person("_epoux1", "la première personne"),
                *person("_epoux2", "la seconde personne"),
                field(rules.EVENT_DATE, "Date", "Date du mariage"),
            ],
        ),
        ADDRESS,
    ]
)
DEATH = model_xml(
    [
        act_fieldset(("Copie intégrale", "Extrait plurilingue"), with_quality=False),
        (
            "defunt",
            "La personne décédée",
            "Le décès a eu lieu à Illkirch-Graffenstaden.",
            [
                *person("", "la personne décédée"),
                field(rules.EVENT_DATE, "Date", "Date du décès"),
                field(
                    rules.BIRTH_DATE,
                    "Date",
                    "Date de naissance",
                    "Si vous la connaissez.",
                    required=False,
                ),
            ],
        ),
        ADDRESS,
    ]
)

INSTRUCTIONS = (
    "Cette démarche ne demande pas de compte. Vous recevez un numéro de "
    "demande et un code de suivi par courriel ; l'acte vous est envoyé "
    "par courrier."
)

SERVICES = tuple(
    {
        "id": f"acte-de-{key}",
        "title": f"Demande d'acte de {label}",
        "description": description,
        "category": "État civil",
        "concerns": "none",
        "account_required": False,
        "civil_status_act": act,
        "agents_group": "agents-population",
        "processing_days": 5,
        "instructions": INSTRUCTIONS,
        "fields": model,
        "documents": (),
    }
    for key, label, act, model, description in (
        (
            "naissance",
            "naissance",
            "birth",
            BIRTH,
            "Pour une naissance survenue à Illkirch-Graffenstaden.",
        ),
        (
            "mariage",
            "mariage",
            "marriage",
            MARRIAGE,
            "Pour un mariage célébré à Illkirch-Graffenstaden.",
        ),
        (
            "deces",
            "décès",
            "death",
            DEATH,
            "Pour un décès survenu à Illkirch-Graffenstaden.",
        ),
    )
)
