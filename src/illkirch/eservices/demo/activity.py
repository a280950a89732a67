"""The demo's #17 activity (the ``illkirch.eservices:demo-activity``
profile, applied by ``make start`` after ``illkirch.eservices:demo``): what
makes the conversation, the drafts and « Dites-le-nous une fois » visible.

- reusable types on the demo services' supporting documents (the
  registry's ``document_types``), and an optional « Pièce d'identité
  actuelle » on the passport service;
- prefill mappings on the civil-status services' questions that the
  household answers (identity of the birth act, the address);
- Amélie Lire files two requests with their documents (which fill her
  locker « Mes documents »); the passport request has a conversation: her
  question, the answer of agent.accueil (unread by her: the badges of « Mon
  espace »), and his internal note;
- a draft of « Inscription périscolaire » for Léo (« Demandes en cours de
  saisie »).

A separate profile from ``demo`` on purpose: the test layers apply ``demo``
(accounts, households, services) and each test builds the requests it needs
from an empty history. Every function here is idempotent: it does nothing
for what exists.
"""

from datetime import date
from datetime import timedelta
from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.conversation import messages
from illkirch.eservices.conversation import store
from illkirch.eservices.demo.services import FOLDER_ID
from illkirch.eservices.drafts import store as drafts
from illkirch.eservices.requests import submission
from illkirch.eservices.reuse import prefill
from io import BytesIO
from plone import api


CITIZEN = "amelie.lire"
AGENT = "agent.accueil"

# service id → {supporting document title: reusable type}
REUSABLE_TYPES = {
    "inscription-periscolaire": {
        "Attestation d'assurance scolaire": "attestation-assurance-scolaire",
    },
    "rendez-vous-passeport-cni": {
        "Justificatif de domicile de moins d'un an": "justificatif-domicile",
        "Pièce d'identité actuelle": "piece-identite",
    },
}
# A document the passport service asks for (its instructions mention the
# old title): it shows the type « Pièce d'identité » of the locker.
IDENTITY_DOCUMENT = (
    "Pièce d'identité actuelle",
    "Votre carte d'identité ou votre passeport, même périmé.",
)

ADDRESS_MAPPING = {
    "adresse": "street",
    "complement": "address_complement",
    "code_postal": "postal_code",
    "ville": "city",
}
# service id → {question: prefill source} (reuse/prefill.SOURCES)
PREFILL = {
    "acte-de-naissance": {
        "nom": "holder_last_name",
        "prenoms": "holder_first_name",
        "date_evenement": "holder_birth_date",
        **ADDRESS_MAPPING,
    },
    "acte-de-mariage": dict(ADDRESS_MAPPING),
    "acte-de-deces": dict(ADDRESS_MAPPING),
}

QUESTION = (
    "Bonjour, mon fils Léo peut-il m'accompagner au rendez-vous ? "
    "J'ai joint mon justificatif de domicile et ma carte d'identité."
)
ANSWER = (
    "Bonjour, oui, Léo peut vous accompagner. Pensez à apporter votre "
    "ancien passeport. Plus d'informations : https://www.service-public.fr/"
)
NOTE = "Ancien passeport délivré en 2017 à Illkirch : dossier en mairie."
# The periscolaire draft: the first step only.
DRAFT_ANSWERS = {
    "ecole": "École élémentaire Sud",
    "classe": "CE1",
    "accueils": ["Restauration scolaire", "Accueil du soir"],
}


def demo_pdf(title):
    """A small valid one-page PDF showing ``title`` (ASCII only)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _services(portal):
    return portal[FOLDER_ID]


def set_reusable_types(portal):
    """Mark the demo services' documents with their reusable type; add the
    passport's « Pièce d'identité actuelle ». Return the documents changed."""
    folder = _services(portal)
    passport = folder["rendez-vous-passeport-cni"]
    if not any(d.Title() == IDENTITY_DOCUMENT[0] for d in passport.documents()):
        with api.env.adopt_roles(["Manager"]):
            api.content.create(
                container=passport,
                type="SupportingDocument",
                title=IDENTITY_DOCUMENT[0],
                description=IDENTITY_DOCUMENT[1],
                required=False,
                postable=True,
            )
    changed = []
    for service_id, types in REUSABLE_TYPES.items():
        for document in folder[service_id].documents():
            type_id = types.get(document.Title())
            if type_id and getattr(document, "reusable_type", None) != type_id:
                document.reusable_type = type_id
                document.reindexObject()
                changed.append(document)
    return changed


def set_prefill(portal):
    """The prefill mappings of the civil-status services (only the
    questions not mapped yet)."""
    folder = _services(portal)
    for service_id, mapping in PREFILL.items():
        service = folder[service_id]
        missing = {
            name: source
            for name, source in mapping.items()
            if name not in prefill.mapping(service)
        }
        if missing:
            prefill.set_mapping(service, missing)


def _requests(household):
    return [o for o in household.objectValues() if o.portal_type == "Request"]


def _person(household, member_type):
    return next(p for p in household.persons() if p.member_type == member_type)


def _files(service, names):
    """Uploads of the service's documents titled as the keys of ``names``
    (→ file name)."""
    return [
        {
            "document": document.getId(),
            "filename": names[document.Title()],
            "data": demo_pdf(document.Title()),
        }
        for document in service.documents()
        if document.Title() in names
    ]


def file_requests(portal):
    """Amélie's two requests, filed as her with documents (her locker keeps
    the typed ones); return them (none when she has requests already)."""
    household = household_of(CITIZEN)
    if household is None or _requests(household):
        return []
    folder = _services(portal)
    passport = folder["rendez-vous-passeport-cni"]
    periscolaire = folder["inscription-periscolaire"]
    soon = date.today() + timedelta(days=21)
    with api.env.adopt_user(user=api.user.get(userid=CITIZEN)):
        passport_request = submission.submit(
            passport,
            {
                "titre": "Passeport",
                "motif": "Renouvellement",
                "jour_souhaite": soon.isoformat(),
                "moment": "Matin",
            },
            member_id=_person(household, "adult").getId(),
            files=_files(
                passport,
                {
                    "Justificatif de domicile de moins d'un an": "facture-energie.pdf",
                    "Pièce d'identité actuelle": "carte-identite.pdf",
                },
            ),
        )
        periscolaire_request = submission.submit(
            periscolaire,
            {
                "ecole": "École élémentaire Sud",
                "classe": "CE1",
                "accueils": ["Restauration scolaire"],
                "date_debut": date(soon.year + 1, 9, 1).isoformat(),
            },
            member_id=_person(household, "child").getId(),
            files=_files(
                periscolaire,
                {
                    "Attestation d'assurance scolaire": "assurance-scolaire.pdf",
                    "Carnet de vaccination": "vaccins.pdf",
                },
            ),
        )
    return [passport_request, periscolaire_request]


def write_conversation(request_obj):
    """Amélie's question, the agent's answer and his internal note, each
    written as its author through the conversation's rules (and emails)."""
    if store.get(request_obj) is not None:
        return
    with api.env.adopt_user(user=api.user.get(userid=CITIZEN)):
        messages.post(request_obj, QUESTION)
    with api.env.adopt_user(user=api.user.get(userid=AGENT)):
        messages.mark_read(request_obj)
        messages.post(request_obj, ANSWER)
        messages.post(request_obj, NOTE, internal=True)


def write_draft(portal):
    """A half-filled « Inscription périscolaire » of Amélie's for Léo."""
    household = household_of(CITIZEN)
    if household is None or drafts.drafts_of(household):
        return None
    service = _services(portal)["inscription-periscolaire"]
    with api.env.adopt_user(user=api.user.get(userid=CITIZEN)):
        return drafts.create(
            household,
            service,
            {
                "answers": dict(DRAFT_ANSWERS),
                "member": _person(household, "child").getId(),
                "step": "inscription",
            },
        )


def install_activity(context=None):
    """Post-handler of the ``illkirch.eservices:demo-activity`` profile."""
    portal = api.portal.get()
    set_reusable_types(portal)
    set_prefill(portal)
    filed = file_requests(portal)
    if filed:
        write_conversation(filed[0])
    write_draft(portal)
