"""``GET /@dashboard``: what « Mon espace → Accueil » shows the logged-in
citizen, for their own household only.

    todo                  what needs the citizen: the invoices to pay (total
                          still due, due dates), the requests awaiting their
                          documents or answers (the town's message), the
                          account while the town has not validated it
    requests_in_progress  the requests neither closed nor refused (each with
                          its ``unread_messages``)
    unread_messages       the messages of the household's requests the
                          citizen has not read (the tab « Demandes »)
    latest_invoices       the latest invoices of the window, paid or not
    services              shortcuts: the services the household uses most,
                          then the catalogue's first ones

The data are read by the domain packages (``billing.overview``,
``requests.overview``, ``accounts.household_input.account_notice``) from the
household's own objects. Anonymous: 401 (permission); a user without a
household (an agent): 404 with the French message of ``@household``.
"""

from illkirch.eservices.accounts import household_input
from illkirch.eservices.accounts import households
from illkirch.eservices.accounts.households import current_household
from illkirch.eservices.accounts.households import current_userid
from illkirch.eservices.billing import invoices
from illkirch.eservices.billing import overview as billing_overview
from illkirch.eservices.conversation import store
from illkirch.eservices.conversation import unread
from illkirch.eservices.money import euros
from illkirch.eservices.requests import overview as requests_overview
from illkirch.eservices.requests import processing
from illkirch.eservices.restapi.errors import error_answer
from illkirch.eservices.restapi.links import services_url
from illkirch.eservices.restapi.plain_json import plain
from plone import api
from plone.restapi.services import Service
from zope.i18n import translate


class DashboardGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "private, no-store")
        household = current_household()
        if household is None:
            return error_answer(self.request, 404, household_input.NO_HOUSEHOLD)
        portal_url = api.portal.get().absolute_url()
        self.titles = invoices.regie_titles()
        # #22: the invoices' states from their catalog entries (the lists
        # below are chosen on them), not the workflow tool per invoice
        self.states = {
            brain.getId: brain.review_state
            for brain in households.own_brains(household, "Invoice")
        }
        todo = self.todo(household)
        return plain(
            {
                "@id": f"{portal_url}/@dashboard",
                "todo": todo,
                "requests_in_progress": self.in_progress(household),
                "unread_messages": unread.household_total(household, current_userid()),
                "latest_invoices": self.latest_invoices(household),
                "services": self.services(household),
            }
        )

    def text(self, message):
        return translate(message, context=self.request)

    # « À faire » ---------------------------------------------------------------

    def todo(self, household):
        to_pay = billing_overview.to_pay(household)
        awaiting = requests_overview.awaiting_citizen(household)
        account = household_input.account_notice(household)
        if account is not None:
            account = {
                "review_state": account["state"],
                "review_state_title": self.text(account["state_title"]),
                "title": self.text(account["title"]),
                "message": self.text(account["message"]),
            }
        items = [self.invoice(invoice) for invoice in to_pay["invoices"]]
        return {
            "empty": not (items or awaiting or account),
            "invoices": {
                "items": items,
                "items_total": len(items),
                "total_cents": to_pay["total_cents"],
                "total": to_pay["total"],
                "next_due": to_pay["next_due"],
            },
            "requests": [self.awaiting(item) for item in awaiting],
            "account": account,
        }

    def awaiting(self, item):
        request_obj = item["request"]
        question = item["question"] or {}
        data = self.request_item(
            request_obj.absolute_url(),
            request_obj.number,
            request_obj.service_title,
            request_obj.member_name,
            item["review_state"],
            request_obj.submitted,
        )
        data["message"] = question.get("text", "")
        data["asked"] = question.get("time") or None
        data["attachments"] = {"@id": f"{data['@id']}/@attachments"}
        return data

    # the rest ------------------------------------------------------------------

    def in_progress(self, household):
        userid = current_userid()
        items = [
            dict(
                self.request_item(
                    brain.getURL(),
                    brain.request_number,
                    brain.service_title,
                    brain.member_name,
                    brain.review_state,
                    brain.created,
                ),
                unread_messages=unread.count(brain, userid, store.CITIZEN),
            )
            for brain in requests_overview.in_progress(household)
        ]
        return {"items": items, "items_total": len(items)}

    def latest_invoices(self, household):
        visible = invoices.may_see_invoices(household)
        items = [self.invoice(i) for i in billing_overview.latest(household)]
        return {
            "items": items,
            "items_total": len(items),
            "since": invoices.window_start(),
            "visible": visible,
            "message": None if visible else self.text(invoices.NOT_VALIDATED),
        }

    def services(self, household):
        base = services_url()
        # #22: the catalog's metadata of the services shown, not the objects
        return [
            {
                "@id": f"{base}/{brain.getId}",
                "id": brain.getId,
                "url": brain.getURL(),
                "title": brain.Title,
                "description": brain.Description,
                "requests_count": count,
            }
            for brain, count in requests_overview.most_used_service_brains(household)
        ]

    # items ---------------------------------------------------------------------

    def request_item(self, url, number, service, member, review_state, created):
        return {
            "@id": url,
            "number": number,
            "service_title": service,
            "member": member or None,
            "review_state": review_state,
            "review_state_title": self.text(processing.state_title(review_state)),
            "created": created,
        }

    def invoice(self, invoice):
        state = self.states.get(invoice.getId())
        if state is None:
            state = api.content.get_state(invoice)
        return {
            "@id": invoice.absolute_url(),
            "uid": invoice.UID(),
            "number": invoice.number,
            "regie_title": self.titles.get(invoice.regie, invoice.regie),
            "domain": invoice.domain,
            "issue_date": invoice.issue_date,
            "due_date": invoice.due_date,
            "total_cents": invoice.total_cents,
            "total": euros(invoice.total_cents),
            "state": state,
            "state_title": self.text(invoices.STATE_TITLES.get(state, state)),
            "overdue": state == "unpaid" and billing_overview.is_overdue(invoice),
        }
