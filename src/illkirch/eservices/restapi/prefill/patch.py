"""``PATCH <service>/@prefill/mapping`` (``get.py`` lists the routes)."""

from illkirch.eservices.restapi.errors import NOT_FOUND
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.errors import field_errors
from illkirch.eservices.restapi.prefill.get import PrefillResource
from illkirch.eservices.reuse import prefill
from plone.restapi.deserializer import json_body

import transaction


class PrefillPatch(PrefillResource):
    def handle_answers(self):
        return error_answer(self.request, 404, NOT_FOUND)

    def handle_mapping(self):
        data = json_body(self.request)
        try:
            prefill.set_mapping(self.context, data.get("mapping"))
        except prefill.PrefillError as refused:
            transaction.doom()
            return field_errors(self.request, refused.errors)
        return self.mapping_json()
