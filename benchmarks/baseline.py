"""The baseline: a plain published Document with a few paragraphs, timed as
the citizen pages are."""

from bench_site import ADMIN
from errors import BenchError
from illkirch.eservices.testing.sessions import JSON_HEADERS

import requests


DOC_ID = "benchmark-document"
DOC_TITLE = "Document de référence des mesures"
DOC_PARAGRAPHS = (
    "Cette page sert de référence aux mesures de performance du portail : une "
    "page Plone ordinaire, publiée, avec un titre et quelques paragraphes.",
    "La ville d'Illkirch-Graffenstaden propose ses démarches en ligne aux "
    "habitants : inscriptions, signalements, actes d'état civil et paiement des "
    "factures des régies municipales.",
    "Les temps des pages de « Mon espace » et du Guichet sont comparés à ceux de "
    "cette page, mesurés de la même façon, par le même utilisateur connecté.",
)


def ensure_document(url):
    """The baseline Document, created and published as admin (idempotent)."""
    admin = requests.Session()
    admin.auth = ADMIN
    admin.headers.update(JSON_HEADERS)
    answer = admin.get(f"{url}/{DOC_ID}", timeout=120)
    if answer.status_code == 404:
        text = "".join(f"<p>{p}</p>" for p in DOC_PARAGRAPHS)
        answer = admin.post(
            url,
            timeout=120,
            json={
                "@type": "Document",
                "id": DOC_ID,
                "title": DOC_TITLE,
                "description": "Page de référence des mesures.",
                "text": {
                    "data": text,
                    "content-type": "text/html",
                    "encoding": "utf-8",
                },
            },
        )
        if answer.status_code != 201:
            raise BenchError(
                f"creating the Document: {answer.status_code} {answer.text}"
            )
        answer = admin.get(f"{url}/{DOC_ID}", timeout=120)
    if answer.status_code != 200:
        raise BenchError(f"reading the Document as admin: {answer.status_code}")
    if answer.json().get("review_state") != "published":
        published = admin.post(f"{url}/{DOC_ID}/@workflow/publish", timeout=120)
        if published.status_code != 200:
            raise BenchError(f"publishing the Document: {published.status_code}")
    return f"{url}/{DOC_ID}"
