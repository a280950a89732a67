"""``GET /@accounts``: the agents' list of accounts, by workflow state.

    GET /@accounts?review_state=pending&q=jerome

``review_state`` is one of pending (default), validated, rejected, suspended, closed;
``q`` searches the holder's name, email and identifier (case and accents
ignored). Oldest first, in batches (``b_start``, ``b_size``, 25 by default,
with plone.restapi's ``batching`` links). The decisions go through
plone.restapi's standard endpoints on the household's URL:
``POST <household>/@workflow/validate``
(``{"comment": "…"}``; reject and suspend need one) and ``PATCH <household>``
for ``billing_account``.

Each item says what FranceConnect verified of the holder
(``identity_verification``: ``by``, ``fields``, ``date``, or null); the
pending queue lists those households first, as the page does
(``franceconnect.verified_first``), then oldest first.
"""

from illkirch.eservices import _
from illkirch.eservices.accounts import franceconnect
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts import validation
from illkirch.eservices.restapi.errors import error_answer
from plone.restapi.batching import HypermediaBatch
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service


class AccountsGet(Service):
    def reply(self):
        review_state = self.parameter("review_state") or "pending"
        if review_state not in validation.STATES:
            return error_answer(
                self.request,
                400,
                _(
                    "error_unknown_review_state",
                    default="Unknown account state: ${state}. Expected one of: "
                    "${states}.",
                    mapping={
                        "state": review_state,
                        "states": ", ".join(validation.STATES),
                    },
                ),
            )
        search_text = self.parameter("q") or None
        found = validation.households_in_state(review_state, search_text)
        if review_state == "pending":
            found = franceconnect.verified_first(found)
        batch = HypermediaBatch(self.request, found)
        result = {
            "@id": batch.canonical_url,
            "items": [self.item(household) for household in batch],
            "items_total": batch.items_total,
        }
        links = batch.links
        if links:
            result["batching"] = links
        return result

    def parameter(self, name):
        value = self.request.form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def item(self, household):
        holder = validation.holder_info(household)
        return {
            "@id": household.absolute_url(),
            "UID": household.UID(),
            "holder_id": holder["holder_id"],
            "identifier": holder["identifier"],
            "fullname": holder["fullname"],
            "email": holder["email"],
            "created": json_compatible(household.created()),
            "review_state": households.state(household),
            "waiting_business_days": validation.waiting_business_days(household),
            "late": validation.is_late(household),
            "billing_account": household.billing_account or None,
            "identity_verification": franceconnect.verification(household),
        }
