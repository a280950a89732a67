"""Sample documents of the three kinds (#18), as their modules give them
to the layout: the editors' preview of the town's style sheet
(controlpanel/preview.py, « Aperçu des documents officiels (PDF) »), the tests
(``testing/pdfs.py``) and ``benchmarks/official_documents.py``. Their
texts are sample data (a fictitious request, payment and decision).
"""

from illkirch.eservices import money
from illkirch.eservices.official_documents import layout


def receipt_sample(answers=15):
    """A filing receipt: service, requester, ``answers`` answers, the
    documents received."""
    return {
        "kind_title": "Récépissé de dépôt",
        "number": "2026-00042",
        "date": "27/11/2026 08:17",
        "details": [
            ("Service", "Occupation du domaine public"),
            ("Demandeur", "Camille Martin"),
        ],
        "sections": [
            layout.Section(
                "Vos réponses",
                [
                    layout.Definitions(
                        [
                            (
                                f"Question {n} du formulaire",
                                f"Réponse {n}\nsur deux lignes",
                            )
                            for n in range(1, answers + 1)
                        ]
                    )
                ],
            ),
            layout.Section(
                "Documents reçus",
                [
                    layout.Table(
                        ["Document", "Taille"],
                        [["plan-de-situation.pdf", "245 ko"], ["photo.jpg", "1,2 Mo"]],
                        numeric=(1,),
                    )
                ],
            ),
        ],
    }


def decision_sample():
    """A decision letter of a few paragraphs."""
    letter = "\n\n".join(
        [
            "Madame, Monsieur,",
            "Votre demande n° 2026-00042 du 27/11/2026 a été examinée par le "
            "service Occupation du domaine public.",
            "Nous avons le plaisir de vous informer qu'elle est acceptée. " * 4,
            "Vous pouvez répondre à ce courrier depuis votre espace citoyen.",
            "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
        ]
    )
    return {
        "kind_title": "Décision",
        "number": "2026-00042",
        "date": "02/12/2026",
        "details": [("Service", "Occupation du domaine public")],
        "sections": [
            layout.Section("Décision : demande acceptée", layout.paragraphs(letter)),
            layout.Section(
                "Auteur de la décision",
                [
                    layout.Definitions(
                        [
                            ("Nom", "Dominique Bernard"),
                            ("Qualité", "Agent instructeur"),
                            ("Service", "Occupation du domaine public"),
                        ]
                    )
                ],
            ),
        ],
    }


def certificate_sample(invoices=5):
    """A payment certificate of ``invoices`` invoices and their total."""
    amounts = [1000 * n + 50 for n in range(1, invoices + 1)]
    rows = [
        [f"F-2026-{n:05d}", f"Cantine novembre — enfant {n}", money.euros(cents)]
        for n, cents in enumerate(amounts, start=1)
    ]
    return {
        "kind_title": "Attestation de paiement",
        "number": "PAY-7F3A2C",
        "date": "03/12/2026 10:12",
        "details": [("Régie", "Restauration scolaire")],
        "sections": [
            layout.Section(
                "Factures payées",
                [
                    layout.Table(
                        ["Facture", "Objet", "Montant"],
                        rows,
                        caption="Factures réglées par ce paiement",
                        footer=["Total", "", money.euros(sum(amounts))],
                        numeric=(2,),
                    ),
                    layout.Definitions([("Référence bancaire", "PAYFIP-0099887766")]),
                ],
            )
        ],
    }


SAMPLES = {
    "receipt": receipt_sample,
    "decision": decision_sample,
    "payment_certificate": certificate_sample,
}


def sample_html(kind, code, verify_url, number=None, **options):
    """The HTML of the sample of ``kind`` (``SAMPLES``), under its own
    number or ``number``."""
    sample = SAMPLES[kind](**options)
    if number is not None:
        sample["number"] = number
    kind_title = sample.pop("kind_title")
    return layout.document_html(kind_title, code=code, verify_url=verify_url, **sample)
