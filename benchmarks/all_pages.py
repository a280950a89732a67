"""The coverage figures of #22 in ``benchmarks/run.py`` (docs/performance.md,
« Figures, baselines and targets »): every page and every REST ``GET`` of
every role that the older figures did not measure, each checked (status and
a real content marker) and compared with the Document of the same kind of
user:

- citizen pages (cookie) against « Document view (citizen) », citizen REST
  calls (JWT) against « REST GET Document (citizen) »;
- anonymous pages and REST calls against the anonymous Document view and
  REST GET;
- agent pages against « Document view (agent) », agent REST calls against
  « REST GET Document (agent) » (a baseline added here).

What each figure needs (a request of the citizen, its latest payment, a
service to file, a draft to resume, an open request of the agent's queue, a
household) is read at the start of the run with the users' own REST
sessions and the admin's, not timed: the generator is left as it is.

``COVERAGE`` names every page view and REST ``GET`` service of the add-on
with the figures that measure it or the reason it is not measured;
``tests/unit/test_benchmark_coverage.py`` fails when a view or a service is
added without being placed there.

Not a script: imported by ``run.py``.
"""

from baseline import DOC_TITLE
from errors import BenchError
from pages import tab_check
from sessions import page_session
from sessions import rest_session
from timing import json_check
from timing import timed
from urllib.parse import urlsplit

import html
import re
import requests


# the wizard's answer fields (illkirch.eservices.browser.question_field)
ANSWER_PREFIX = "a."


CITIZEN, CITIZEN_REST = "document-citizen", "document-rest-citizen"
ANONYMOUS, ANONYMOUS_REST = "document-anonymous", "document-rest-anonymous"
AGENT, AGENT_REST = "document-agent", "document-rest-agent"
STAFF = (AGENT, AGENT_REST, "document-supervisor")

# why a page or a service is not measured (COVERAGE)
ACTION = "an action (POST or a redirect), not a page to read"
PART = "a part of a measured page (rendered inside it), not a page of its own"
DOWNLOAD = "a file download (bytes of a stored file), not a page"
ADMIN_ONLY = "a page of the site's administrators (Manager), not of a role of #22"
FRANCECONNECT = (
    "needs FranceConnect switched on and the signed identity cookie its "
    "callback sets after FranceConnect's answer: not reachable by the benchmark"
)
NEEDS_TOKEN = "needs a token sent by email (one use): not measured"
FINANCE = (
    "a page of the Finance role (no such user in the generated data); the "
    "import itself is timed (« Import »)"
)
PLONE_MEMBER = (
    "Plone's member page, overridden: a citizen is sent to « Mon espace » "
    "(its tabs are measured); the staff's is Plone's own"
)

# The figures measured by run.py itself and the modules of #17 and #19
OLDER_FIGURES = (
    "accueil",
    "demandes",
    "mes-comptes",
    "panier-ajouter",
    "rest-requests",
    "rest-invoices",
    "guichet",
    "guichet-filtered",
    "request-status",
    "request-conversation-citizen",
    "request-conversation-agent",
    "accueil-drafts",
    "dashboard-year",
)

# Every page view (browser:page) and REST GET service (plone:service) of the
# add-on's ZCML: the figure keys that measure it, or why not. A name
# registered for several types is keyed ``name@Type`` (``view@IRequest``).
COVERAGE = {
    # citizen pages
    "mon-espace": ("accueil", "accueil-drafts"),
    "mon-espace-compte": ("compte",),
    "mon-espace-services": ("services",),
    "mon-espace-demandes": ("demandes",),
    "mon-espace-documents": ("documents",),
    "mon-espace-factures": ("mes-comptes",),
    "panier": ("panier",),
    "paiement-retour": ("paiement-retour",),
    "deposer": ("wizard-step1", "wizard-next", "wizard-resumed", "civil-status-form"),
    "view@IRequest": (
        "request-conversation-citizen",
        "request-conversation-agent",
        "request-open-agent",
    ),
    "modifier-foyer": ("modifier-foyer",),
    "ajouter-membre": ("ajouter-membre",),
    "changer-mot-de-passe": ("changer-mot-de-passe",),
    "changer-courriel": ("changer-courriel",),
    "fermer-mon-compte": ("fermer-mon-compte",),
    "panier-ajouter": ("panier-ajouter",),
    "demandes-en-cours-de-saisie": (
        "the section « Demandes en cours de saisie » of Accueil (fetched by "
        "the page, empty without drafts): measured in « Accueil, 5 drafts »"
    ),
    "modifier-membre": "the form of one member: the same form as « ajouter-membre »",
    "retirer-membre": "the confirmation of a member's removal: " + ACTION,
    "mes-donnees.json": "a download of the household's data (RGPD), not a page",
    "supprimer-brouillon": "the confirmation of a draft's deletion: " + ACTION,
    "panier-retirer": ACTION,
    "panier-payer": ACTION + " (redirects to the bank)",
    "lier-franceconnect": ACTION + " (redirects to FranceConnect)",
    "delier-franceconnect": ACTION,
    "franceconnect-inscription": FRANCECONNECT,
    "franceconnect-login": ACTION + " (redirects to FranceConnect)",
    "franceconnect-callback": FRANCECONNECT,
    "franceconnect-button": PART,
    "logout": ACTION,
    "ecrire-message": ACTION + " (the form is on the request's page)",
    "corriger": (
        "the correction form of a request the agents sent back as incomplete "
        "with fields to correct (none in the generated data)"
    ),
    "ajouter-pieces": ACTION + " (the form is on the request's page)",
    "changer-statut": ACTION + " (the agents' buttons on the request's page)",
    "assigner": ACTION,
    "content_status_modify": ACTION + " (guarded: Plone's workflow form)",
    "content_status_history": ACTION + " (guarded: Plone's workflow form)",
    "piece-jointe": DOWNLOAD,
    "piece-jointe-message": DOWNLOAD,
    "mes-documents-fichier": DOWNLOAD,
    "mes-documents-supprimer": ACTION,
    "document-officiel@IRequest": DOWNLOAD + " (PDF: « Official documents »)",
    "document-officiel@IPayment": DOWNLOAD + " (PDF: « Official documents »)",
    "eservices-badges": PART,
    "view@IInvoice": (
        "an invoice's page: the citizens see their invoices in « Mes comptes »"
    ),
    # anonymous pages
    "creer-un-compte": ("creer-un-compte",),
    "suivre-ma-demande": ("suivre-ma-demande",),
    "verifier": ("verifier",),
    "view@IFAQ": ("faq",),
    "view@IFAQQuestion": "a question of the FAQ: shown on the FAQ's page",
    "view@IService": ("service-page",),
    "login": ("login",),
    "mot-de-passe-oublie": ("mot-de-passe-oublie",),
    "declaration-accessibilite": ("declaration-accessibilite",),
    "search": ("search",),
    "nouveau-mot-de-passe": NEEDS_TOKEN,
    "confirmer-courriel": NEEDS_TOKEN,
    "captcha-image": "an image of the registration form (a part of it)",
    "captcha-audio": "a sound of the registration form (a part of it)",
    "ajax-search": PART + " (the search box's suggestions)",
    "getVocabulary": PART + " (the widgets' suggestions)",
    "batchnavigation": PART,
    "login-help": ACTION + " (redirects to « mot-de-passe-oublie »)",
    "mail_password_form": ACTION + " (redirects to « mot-de-passe-oublie »)",
    "mail_password": ACTION + " (redirects to « mot-de-passe-oublie »)",
    "passwordreset": ACTION + " (redirects to « mot-de-passe-oublie »)",
    "register": ACTION + " (redirects to « creer-un-compte »)",
    "banque-demo": "the demo bank's page (a stand-in for the bank, off in production)",
    "index.html": "the error page of a refused transition",
    # agent and staff pages
    "guichet": ("guichet", "guichet-filtered"),
    "guichet-export.csv": ("guichet-export",),
    "comptes-a-valider": ("comptes-a-valider",),
    "mes-notifications": ("mes-notifications",),
    "view@IHousehold": ("household-agent",),
    "folder_listing": "the household's view: « view@IHousehold »",
    # #22: the folders' listing (« Démarches en ligne ») and the portal tabs
    "folderListing": ("demarches",),
    "portal_tabs_view": PART,
    "tableau-de-bord": ("dashboard-year",),
    "import-factures": FINANCE,
    "moyen-de-paiement": ADMIN_ONLY,
    "preremplissage": ADMIN_ONLY,
    # Plone's member pages, overridden (accounts/plone_endpoints.zcml)
    "change-password": PLONE_MEMBER,
    "personal-information": PLONE_MEMBER,
    "user-information": PLONE_MEMBER,
    "personal-preferences": PLONE_MEMBER,
    "user-preferences": PLONE_MEMBER,
    "dashboard": PLONE_MEMBER,
    # control panels
    "eservices-settings": ADMIN_ONLY,
    "taches-de-fond": ADMIN_ONLY,
    "apercu-documents": ADMIN_ONLY,
    "franceconnect-settings": ADMIN_ONLY,
    "antivirus-settings": ADMIN_ONLY,
    # REST GET services
    "@requests": ("rest-requests", "rest-requests-agent", "rest-requests-filtered"),
    "@invoices": ("rest-invoices",),
    "@household": ("rest-household",),
    "@services": ("rest-services", "rest-services-anonymous"),
    "@cart": ("rest-cart",),
    "@payments": ("rest-payments",),
    "@drafts": ("rest-drafts",),
    "@locker": ("rest-locker",),
    "@town": ("rest-town", "rest-town-anonymous"),
    "@accessibility": ("rest-accessibility-anonymous",),
    "@franceconnect-link": ("rest-franceconnect-link",),
    "@dashboard": ("rest-dashboard",),
    "@messages": ("rest-messages", "rest-messages-agent"),
    "@attachments": ("rest-attachments",),
    "@corrections": ("rest-corrections",),
    "@documents@IRequest": ("rest-documents",),
    "@documents@IPayment": "the same service as a request's, for a payment's receipt",
    "@prefill": ("rest-prefill",),
    "@request-status": ("request-status",),
    "@accounts": ("rest-accounts",),
    "@notifications": ("rest-notifications",),
    "@requests-export": ("rest-requests-export",),
    "@statistics": ("rest-statistics",),
    "@verify": (
        "each GET with a code counts a verification per client address (the "
        "rate limit, written in the database): the page « verifier » is measured"
    ),
    "@invoices-import": FINANCE,
    "@jobs": ADMIN_ONLY,
    "@retention": ADMIN_ONLY,
    "@login": FRANCECONNECT + " (GET: the OpenID providers, Volto's)",
    "@login-oidc": FRANCECONNECT,
    "@logout-oidc": ACTION,
    "@payment-notify": "the bank's notification (a server to server call)",
    "@registration": "no GET for this layer (404): the form is « creer-un-compte »",
}


def csv_check(header):
    """``timed`` check: a CSV file starting with ``header`` (after its BOM)."""
    return lambda response: (
        None
        if response.headers.get("Content-Type", "").startswith("text/csv")
        and response.text.lstrip("\ufeff").startswith(header)
        else "not the queue's CSV"
    )


def has(*keys):
    """``timed`` check: a JSON object with these keys."""
    return json_check(
        lambda d: isinstance(d, dict) and all(k in d for k in keys),
        f"no {', '.join(keys)}",
    )


def local(url, address):
    """``address`` on the benchmark's server (a stored URL may carry the
    host of the generation: ``localhost:8080``)."""
    path = urlsplit(address).path
    site = urlsplit(url).path
    return url + path[len(site) :] if path.startswith(site) else address


def read(session, address, **params):
    answer = session.get(address, params=params or None, timeout=300)
    if answer.status_code != 200:
        raise BenchError(f"preparing the figures: GET {address}: {answer.status_code}")
    return answer.json()


class Figures:
    """The users and data of the coverage figures and their rows
    ``(key, label, baseline key, target kind, call)``; ``plan`` gives the
    targets."""

    def __init__(self, url, manifest, citizens, agents):
        self.url = url
        self.citizens = citizens
        self.agents = agents
        self.anonymous = requests.Session()
        self.anonymous_rest = rest_session(url)
        password = manifest["citizen_password"]
        services = read(self.anonymous_rest, f"{url}/@services")["items"]
        self.service_urls = {s["UID"]: local(url, s["url"]) for s in services}
        for citizen in citizens:
            self.prepare_citizen(citizen)
        # the citizen's form: a service with an account, open to all
        # households (no member to choose)
        self.service = next(
            (s for s in services if s["account_required"] and s["concerns"] == "none"),
            next(s for s in services if s["account_required"]),
        )
        self.civil_status = next(
            (s for s in services if s.get("civil_status_act")), None
        )
        for agent in agents:
            agent["rest"] = rest_session(url, agent["login"], agent["password"])
            queue = read(
                agent["rest"],
                f"{url}/@requests",
                service=agent["service"],
                review_state=agent["status"],
            )["items"]
            if not queue:
                raise BenchError(f"{agent['login']}: an empty queue")
            agent["open_request"] = (local(url, queue[0]["@id"]), queue[0]["number"])
        # a household's page as the agents see it, checked by its billing
        # account (read with its citizen's own @household)
        self.households = [
            (
                f"{url}/{item['household'].split('/', 2)[2]}",
                read(citizen.rest, f"{url}/@household")["billing_account"],
            )
            for citizen, item in zip(citizens, manifest["citizens"], strict=True)
        ]
        self.drafts, self.steps = [], []
        for login in (manifest.get("drafts") or {}).get("citizens") or []:
            rest = rest_session(url, login, password)
            items = read(rest, f"{url}/@drafts")["items"]
            if not items:
                continue
            page = page_session(url, login, password)
            ordered = sorted(items, key=lambda d: len(d.get("answers") or {}))
            self.drafts.append((page, local(url, ordered[-1]["resume"])))
            self.steps.append(self.step_post(page, ordered[0]))

    def step_post(self, page, draft):
        """What the wizard's « Suivant » posts from its first step, as a
        browser does: the CSRF token and the step read from the form's first
        page, the id of the household's least advanced draft, its member and
        its answers (all the first step needs). The answer is the second
        step, and the wizard saves that same draft at it: nothing is
        created, and every run posts the same."""
        address = local(self.url, draft["resume"]).split("?")[0]
        text = page.get(address, timeout=300).text
        token = re.search(r'name="_authenticator" value="([^"]+)"', text)
        step = re.search(r'name="step" value="([^"]*)"', text)
        if not (token and step and "Étape 1 sur" in html.unescape(text)):
            raise BenchError(f"preparing the figures: {address}: not a wizard step")
        data = [
            ("_authenticator", token.group(1)),
            ("step", step.group(1)),
            ("draft", draft["id"]),
            ("action", "next"),
        ]
        if draft.get("member"):
            data.append(("member", draft["member"]))
        for name, value in (draft.get("answers") or {}).items():
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, "", False):
                    data.append((f"{ANSWER_PREFIX}{name}", str(item)))
        return page, address, data, 2

    def prepare_citizen(self, citizen):
        """The citizen's latest request and latest payment."""
        url = self.url
        latest = read(citizen.rest, f"{url}/@requests")["items"]
        if not latest:
            raise BenchError(f"{citizen.login}: no request")
        citizen.request = local(url, latest[0]["@id"])
        citizen.service_url = self.service_urls[latest[0]["service"]["UID"]]
        payments = read(citizen.rest, f"{url}/@payments")["items"]
        citizen.transaction = payments[0]["transaction_id"] if payments else ""

    def users(self):
        return max(len(self.citizens), len(self.agents), len(self.drafts), 1)

    # sessions and calls -------------------------------------------------

    def citizen(self, n):
        return self.citizens[n % len(self.citizens)]

    def agent(self, n):
        return self.agents[n % len(self.agents)]

    def get(self, session, address, label, method="GET", **kwargs):
        return timed(session, method, address, label, **kwargs)[1:]

    def tab(self, view, title, *texts, params=None):
        return lambda n: self.get(
            self.citizen(n).page,
            f"{self.url}/@@{view}",
            title,
            params=params(n) if params else None,
            texts=("Mon espace", *texts),
            check=tab_check(title),
        )

    def citizen_page(self, view, *texts):
        return lambda n: self.get(
            self.citizen(n).page, f"{self.url}/@@{view}", view, texts=texts
        )

    def citizen_rest(self, path, *keys, on_request=False):
        def call(n):
            person = self.citizen(n)
            base = person.request if on_request else self.url
            return self.get(person.rest, f"{base}/{path}", path, check=has(*keys))

        return call

    def anonymous_page(self, path, *texts):
        return lambda n: self.get(
            self.anonymous, f"{self.url}{path}", path or "home", texts=texts
        )

    def anonymous_json(self, path, *keys):
        return lambda n: self.get(
            self.anonymous_rest, f"{self.url}/{path}", path, check=has(*keys)
        )

    def agent_page(self, view, *texts, **kwargs):
        return lambda n: self.get(
            self.agent(n)["session"],
            f"{self.url}/@@{view}",
            view,
            texts=texts,
            **kwargs,
        )

    def agent_rest(self, path, check, params=None):
        def call(n):
            who = self.agent(n)
            return self.get(
                who["rest"],
                f"{self.url}/{path}",
                f"{path} (agent)",
                params=params(who) if params else None,
                check=check,
            )

        return call

    # figures needing data ----------------------------------------------

    def document_rest_agent(self, n, doc):
        return self.get(
            self.agent(n)["rest"],
            doc,
            "REST GET Document (agent)",
            check=json_check(lambda d: d.get("title") == DOC_TITLE, "title"),
        )

    def wizard_step1(self, n):
        return self.get(
            self.citizen(n).page,
            f"{local(self.url, self.service['url'])}/@@deposer",
            "service form, step 1",
            texts=("Étape 1 sur", self.service["title"], 'name="_authenticator"'),
        )

    def wizard_resumed(self, n):
        session, address = self.drafts[n % len(self.drafts)]
        return self.get(
            session,
            address,
            "service form, draft resumed",
            texts=("Étape", 'name="draft"'),
            check=lambda r: None if "Étape 1 sur" not in r.text else "step 1",
        )

    def wizard_next(self, n):
        page, address, data, following = self.steps[n % len(self.steps)]
        return self.get(
            page,
            address,
            "service form, POST « Suivant »",
            method="POST",
            data=data,
            texts=(f"Étape {following} sur",),
        )

    def civil_status_form(self, n):
        return self.get(
            self.anonymous,
            f"{local(self.url, self.civil_status['url'])}/@@deposer",
            "civil-status form",
            texts=("Étape 1 sur", self.civil_status["title"]),
        )

    def service_page(self, n):
        return self.get(
            self.anonymous,
            local(self.url, self.civil_status["url"]),
            "service page",
            texts=(self.civil_status["title"], "@@deposer"),
        )

    def payment_return(self, n):
        person = self.citizen(n)
        return self.get(
            person.page,
            f"{self.url}/@@paiement-retour",
            "payment return",
            params={"transaction_id": person.transaction}
            if person.transaction
            else None,
            texts=("Mon espace",),
            check=tab_check("Votre paiement"),
        )

    def household_agent(self, n):
        address, title = self.households[n % len(self.households)]
        return self.get(
            self.agent(n)["session"], address, "household (agent)", texts=(title,)
        )

    def request_open_agent(self, n):
        address, number = self.agent(n)["open_request"]
        return self.get(
            self.agent(n)["session"], address, "open request (agent)", texts=(number,)
        )

    def messages_agent(self, n):
        address, _number = self.agent(n)["open_request"]
        return self.get(
            self.agent(n)["rest"],
            f"{address}/@messages",
            "@messages (agent)",
            check=has("items", "can_write_notes"),
        )

    def guichet_export(self, n):
        who = self.agent(n)
        return self.get(
            who["session"],
            f"{self.url}/@@guichet-export.csv",
            "guichet-export.csv",
            params={"service": who["service"], "review_state": who["status"]},
            check=lambda r: (
                None
                if r.headers.get("Content-Type", "").startswith("text/csv")
                and who["open_request"][1] in r.text
                else "not the queue's CSV"
            ),
        )

    # the plan -----------------------------------------------------------

    def rows(self, doc):
        """Every figure: ``(key, label, baseline, kind, call)``; ``kind``
        "citizen" (citizen and anonymous target) or "staff"."""
        c, s = "citizen", "staff"
        queue = {"review_state": "submitted"}
        rows = [
            (
                AGENT_REST,
                "REST GET Document (agent)",
                None,
                None,
                lambda n: self.document_rest_agent(n, doc),
            ),
            # citizen pages
            (
                "compte",
                "Compte @@mon-espace-compte",
                CITIZEN,
                c,
                self.tab("mon-espace-compte", "Compte"),
            ),
            (
                "services",
                "Services @@mon-espace-services",
                CITIZEN,
                c,
                self.tab("mon-espace-services", "Services"),
            ),
            (
                "documents",
                "Mes documents @@mon-espace-documents",
                CITIZEN,
                c,
                self.tab("mon-espace-documents", "Mes documents"),
            ),
            (
                "panier",
                "Panier @@panier",
                CITIZEN,
                c,
                self.tab("panier", "Votre panier"),
            ),
            (
                "paiement-retour",
                "Payment return @@paiement-retour",
                CITIZEN,
                c,
                self.payment_return,
            ),
            (
                "wizard-step1",
                f"Form step 1 @@deposer ({self.service['id']})",
                CITIZEN,
                c,
                self.wizard_step1,
            ),
            (
                "modifier-foyer",
                "Compte: @@modifier-foyer",
                CITIZEN,
                c,
                self.citizen_page("modifier-foyer", "Modifier l'adresse et le contact"),
            ),
            (
                "ajouter-membre",
                "Compte: @@ajouter-membre",
                CITIZEN,
                c,
                self.citizen_page("ajouter-membre", "Ajouter un membre"),
            ),
            (
                "changer-mot-de-passe",
                "Compte: @@changer-mot-de-passe",
                CITIZEN,
                c,
                self.citizen_page("changer-mot-de-passe", "Modifier mon mot de passe"),
            ),
            (
                "changer-courriel",
                "Compte: @@changer-courriel",
                CITIZEN,
                c,
                self.citizen_page(
                    "changer-courriel", "Modifier mon adresse électronique"
                ),
            ),
            (
                "fermer-mon-compte",
                "Compte: @@fermer-mon-compte",
                CITIZEN,
                c,
                self.citizen_page("fermer-mon-compte", "Fermer mon compte"),
            ),
            # citizen REST
            (
                "rest-household",
                "REST GET /@household",
                CITIZEN_REST,
                c,
                self.citizen_rest("@household", "billing_account"),
            ),
            (
                "rest-services",
                "REST GET /@services",
                CITIZEN_REST,
                c,
                self.citizen_rest("@services", "items"),
            ),
            (
                "rest-cart",
                "REST GET /@cart",
                CITIZEN_REST,
                c,
                self.citizen_rest("@cart", "items", "total_cents"),
            ),
            (
                "rest-payments",
                "REST GET /@payments",
                CITIZEN_REST,
                c,
                self.citizen_rest("@payments", "items"),
            ),
            (
                "rest-drafts",
                "REST GET /@drafts",
                CITIZEN_REST,
                c,
                self.citizen_rest("@drafts", "items", "items_total"),
            ),
            (
                "rest-locker",
                "REST GET /@locker",
                CITIZEN_REST,
                c,
                self.citizen_rest("@locker", "items", "items_total"),
            ),
            (
                "rest-town",
                "REST GET /@town",
                CITIZEN_REST,
                c,
                self.citizen_rest("@town", "address"),
            ),
            (
                "rest-franceconnect-link",
                "REST GET /@franceconnect-link",
                CITIZEN_REST,
                c,
                self.citizen_rest("@franceconnect-link", "linked", "has_password"),
            ),
            (
                "rest-dashboard",
                "REST GET /@dashboard",
                CITIZEN_REST,
                c,
                self.citizen_rest("@dashboard", "latest_invoices"),
            ),
            (
                "rest-messages",
                "REST GET <request>/@messages",
                CITIZEN_REST,
                c,
                self.citizen_rest("@messages", "items", "can_write", on_request=True),
            ),
            (
                "rest-attachments",
                "REST GET <request>/@attachments",
                CITIZEN_REST,
                c,
                self.citizen_rest("@attachments", "items", "can_add", on_request=True),
            ),
            (
                "rest-corrections",
                "REST GET <request>/@corrections",
                CITIZEN_REST,
                c,
                self.citizen_rest("@corrections", "fields", on_request=True),
            ),
            (
                "rest-documents",
                "REST GET <request>/@documents",
                CITIZEN_REST,
                c,
                self.citizen_rest("@documents", "items", on_request=True),
            ),
            (
                "rest-prefill",
                "REST GET <service>/@prefill",
                CITIZEN_REST,
                c,
                lambda n: self.get(
                    self.citizen(n).rest,
                    f"{self.citizen(n).service_url}/@prefill",
                    "@prefill",
                    check=has("answers"),
                ),
            ),
            # anonymous pages and REST
            (
                "home",
                "Home /Plone (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page("", "Espace citoyen"),
            ),
            (
                "faq",
                "FAQ /faq (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page("/faq", "Questions fréquentes"),
            ),
            (
                "demarches",
                "Démarches en ligne /demarches (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page("/demarches", "Démarches en ligne"),
            ),
            (
                "suivre-ma-demande",
                "@@suivre-ma-demande (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page("/@@suivre-ma-demande", "Suivre ma demande"),
            ),
            (
                "creer-un-compte",
                "@@creer-un-compte (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page(
                    "/@@creer-un-compte", "Créer un compte", "Étape 1 sur"
                ),
            ),
            (
                "verifier",
                "@@verifier, its form (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page("/@@verifier", "Vérifier un document"),
            ),
            (
                "login",
                "Login form /login (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page("/login", "Se connecter", "__ac_password"),
            ),
            (
                "mot-de-passe-oublie",
                "@@mot-de-passe-oublie (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page("/@@mot-de-passe-oublie", "Mot de passe oublié"),
            ),
            (
                "declaration-accessibilite",
                "@@declaration-accessibilite (anonymous)",
                ANONYMOUS,
                c,
                self.anonymous_page(
                    "/@@declaration-accessibilite", "Déclaration d'accessibilité"
                ),
            ),
            (
                "search",
                "@@search?SearchableText=acte (anonymous)",
                ANONYMOUS,
                c,
                lambda n: self.get(
                    self.anonymous,
                    f"{self.url}/@@search",
                    "search",
                    params={"SearchableText": "acte"},
                    texts=("Résultats de recherche",),
                ),
            ),
            (
                "rest-services-anonymous",
                "REST GET /@services (anonymous)",
                ANONYMOUS_REST,
                c,
                self.anonymous_json("@services", "items"),
            ),
            (
                "rest-town-anonymous",
                "REST GET /@town (anonymous)",
                ANONYMOUS_REST,
                c,
                self.anonymous_json("@town", "address"),
            ),
            (
                "rest-accessibility-anonymous",
                "REST GET /@accessibility (anonymous)",
                ANONYMOUS_REST,
                c,
                self.anonymous_json("@accessibility", "axe_core"),
            ),
            # agent pages and REST
            (
                "request-open-agent",
                "Open request's page (agent)",
                AGENT,
                s,
                self.request_open_agent,
            ),
            (
                "comptes-a-valider",
                "Comptes à valider @@comptes-a-valider",
                AGENT,
                s,
                self.agent_page("comptes-a-valider", "Comptes à valider"),
            ),
            (
                "mes-notifications",
                "Mes notifications @@mes-notifications",
                AGENT,
                s,
                self.agent_page("mes-notifications", "Mes notifications"),
            ),
            (
                "household-agent",
                "Household page (agent)",
                AGENT,
                s,
                self.household_agent,
            ),
            (
                "guichet-export",
                "Guichet CSV @@guichet-export.csv (filtered)",
                AGENT,
                s,
                self.guichet_export,
            ),
            (
                "rest-requests-agent",
                "REST GET /@requests (agent's queue)",
                AGENT_REST,
                s,
                self.agent_rest("@requests", has("items", "counts")),
            ),
            (
                "rest-requests-filtered",
                "REST GET /@requests?review_state=submitted",
                AGENT_REST,
                s,
                self.agent_rest(
                    "@requests", has("items", "counts"), params=lambda who: queue
                ),
            ),
            (
                "rest-accounts",
                "REST GET /@accounts (agent)",
                AGENT_REST,
                s,
                self.agent_rest("@accounts", has("items")),
            ),
            (
                "rest-notifications",
                "REST GET /@notifications (agent)",
                AGENT_REST,
                s,
                self.agent_rest("@notifications", has("groups")),
            ),
            (
                "rest-requests-export",
                "REST GET /@requests-export (agent)",
                AGENT_REST,
                s,
                self.agent_rest("@requests-export", csv_check("Numéro;Démarche")),
            ),
            (
                "rest-statistics",
                "REST GET /@statistics (agent)",
                AGENT_REST,
                s,
                self.agent_rest("@statistics", has("by_assignee")),
            ),
            (
                "rest-messages-agent",
                "REST GET <request>/@messages (agent)",
                AGENT_REST,
                s,
                self.messages_agent,
            ),
        ]
        if self.civil_status:
            rows += [
                (
                    "service-page",
                    "Service page /demarches/<acte> (anonymous)",
                    ANONYMOUS,
                    c,
                    self.service_page,
                ),
                (
                    "civil-status-form",
                    "Civil-status form step 1 (anonymous)",
                    ANONYMOUS,
                    c,
                    self.civil_status_form,
                ),
            ]
        if self.steps:
            rows.append(
                (
                    "wizard-next",
                    "Form, POST « Suivant » to the next step (draft)",
                    CITIZEN,
                    c,
                    self.wizard_next,
                )
            )
        if self.drafts:
            rows.append(
                (
                    "wizard-resumed",
                    "Form, a later step (draft resumed)",
                    CITIZEN,
                    c,
                    self.wizard_resumed,
                )
            )
        return rows

    def plan(self, doc, citizen_target, staff_target):
        """``(figures to measure, figures not measured)``; the latter as
        ``(key, label, baseline key, target, reason)``."""
        targets = {"citizen": citizen_target, "staff": staff_target, None: None}
        measured = [
            (key, label, base, targets[kind], call)
            for key, label, base, kind, call in self.rows(doc)
        ]
        skipped = []
        if not self.steps:
            skipped.append(
                (
                    "wizard-next",
                    "Form, POST « Suivant » to the next step (draft)",
                    CITIZEN,
                    citizen_target,
                    "no drafts in the generated data",
                )
            )
        if not self.drafts:
            skipped.append(
                (
                    "wizard-resumed",
                    "Form, a later step (draft resumed)",
                    CITIZEN,
                    citizen_target,
                    "no drafts in the generated data",
                )
            )
        if not self.civil_status:
            skipped += [
                (key, key, ANONYMOUS, citizen_target, "no civil-status service")
                for key in ("service-page", "civil-status-form")
            ]
        return measured, skipped
