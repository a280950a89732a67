"""Writing the official documents (#18) the queue issues for a request:
its « Récépissé de dépôt » (``official_documents.receipts.issue_receipt``,
every request, account-less ones too) and, when an agent accepted or
refused it, its « Décision » (``official_documents.decisions.issue_decision``).

Each is an ``IssuedDocument`` stored with the request by ``store.add``
(its annotation and the site's index of codes), with its own seeded
verification code and id, the heading and file name of the add-on's
modules, issued a few seconds after the event that asked for it. Its PDF is
the real one of the first request of the generation that needed one of its
kind, rendered once as the issuing job renders it and reused for the others
(rendering one per request would take hours for a large town).
"""

from datetime import timedelta


def write_documents(ctx, obj, request):
    """The receipt of the request ``obj`` (planned as ``request``) and its
    decision when its steps accept or refuse it."""
    from illkirch.eservices.official_documents import decisions

    write_receipt(ctx, obj, request)
    for name, when, actor, comment in request.steps:
        if name in decisions.OUTCOMES:
            write_decision(ctx, obj, request, name, when, actor, comment)


def seeded_code(rng):
    from illkirch.eservices.official_documents import store

    return "".join(rng.choice(store.ALPHABET) for _ in range(store.CODE_LENGTH))


def issued_after(rng, when):
    """When the queue's worker stored it: seconds after ``when``."""
    return when + timedelta(seconds=rng.uniform(1, 30))


def rendered(ctx, kind, render):
    """The kind's PDF, rendered once per generation by ``render()`` inside
    ``pdf.issuing()`` (the generator plays the job that issues it)."""
    from illkirch.eservices.official_documents import pdf

    if kind not in ctx.document_pdfs:
        with pdf.issuing():
            ctx.document_pdfs[kind] = render()
    return ctx.document_pdfs[kind]


def store_document(obj, document, rng, issued, code):
    """``store.add`` with the document's seeded id and its issue time."""
    from illkirch.eservices.official_documents import store

    document.id = f"{rng.getrandbits(64):016x}"
    document.issued = issued.isoformat(timespec="seconds")
    store.add(obj, document, code)


def write_receipt(ctx, obj, request):
    """As ``receipts.issue_receipt`` stores it."""
    from illkirch.eservices.official_documents import receipts
    from illkirch.eservices.official_documents import store

    rng = ctx.rng("receipt", request.uid)
    code = seeded_code(rng)
    data = rendered(ctx, store.RECEIPT, lambda: receipts.render(obj, code))
    document = store.IssuedDocument(
        store.RECEIPT,
        f"recepisse-{obj.number}.pdf",
        data,
        receipts.heading(obj),
        code,
    )
    store_document(obj, document, rng, issued_after(rng, request.submitted), code)


def write_decision(ctx, obj, request, transition, when, actor, comment):
    """As ``decisions.issue_decision`` stores it, with the facts
    ``decisions.transition_done`` records when the agent ``actor`` fires
    ``transition`` at ``when``."""
    from datetime import UTC
    from illkirch.eservices.official_documents import decisions
    from illkirch.eservices.official_documents import store

    rng = ctx.rng("decision", request.uid)
    code = seeded_code(rng)
    facts = {
        "transition": transition,
        "decided": when.astimezone(UTC).isoformat(timespec="seconds"),
    }
    data = rendered(
        ctx,
        store.DECISION,
        lambda: decisions.render(
            obj,
            decisions.decision_facts(obj, transition, comment, actor)
            | {"decided": facts["decided"]},
            code,
        ),
    )
    document = store.IssuedDocument(
        store.DECISION,
        f"decision-{obj.number}.pdf",
        data,
        decisions.heading(obj, facts),
        code,
    )
    store_document(obj, document, rng, issued_after(rng, when), code)
