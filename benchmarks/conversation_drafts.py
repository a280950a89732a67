"""The figures of #17 in ``benchmarks/run.py`` (docs/performance.md):

- **a request's page with its 50-message conversation**, seen by its
  citizen (against the Document view by citizens) and by an agent of its
  group (against the Document view by agents), both within the citizen page
  target; the requests, their citizens and agents come from the manifest
  (``conversations``: one household out of 20 has one);
- **« Mon espace » Accueil with 5 drafts** (against the Document view by
  citizens), for the manifest's ``drafts`` citizens, checked by its section
  « Demandes en cours de saisie » listing the 5 drafts.

A figure without its data is not measured, and says why: a site generated
before the conversations or the drafts (generate it again), or an add-on
without drafts store (``benchmarks/generator/drafts.py``).

Whether the page showed the conversation is recorded too
(``conversation_shown``: the answers that held the last message its user
sees): until the page's section is built, the figure is that of the page
with its 50 messages stored but not shown.

Not a script: imported by ``run.py``.
"""

from pages import tab_check
from sessions import page_session
from timing import timed

import html
import re


NO_CONVERSATION = (
    "no conversation in the generated data (site generated before them: "
    "generate it again)"
)


# a tag: the page renders a message's links as <a> (``messages.to_html``)
TAG = re.compile(r"<[^>]+>")


def page_text(markup):
    """The page's text without its tags, unescaped: a message as typed."""
    return html.unescape(TAG.sub("", markup))


# « Demandes en cours de saisie » and the link « Supprimer » of each draft
DRAFTS_SECTION = 'id="demandes-en-saisie"'
DRAFT_ROW = "@@supprimer-brouillon?brouillon="


class Figures:
    """The users of the #17 figures, logged in, and the figures'
    ``(key, label, baseline key, target, call)``, or why not measured."""

    def __init__(self, url, manifest):
        self.url = url
        self.conversations = manifest.get("conversations") or []
        drafts = manifest.get("drafts") or {}
        self.drafts_reason = drafts.get("not_measured") or (
            None if drafts.get("citizens") else "drafts not available"
        )
        self.per_household = drafts.get("per_household", 5)
        password = manifest["citizen_password"]
        agents = {}
        for item in self.conversations:
            item["page"] = page_session(url, item["login"], password)
            login = item["agent_login"]
            if login not in agents:
                agents[login] = page_session(url, login, item["agent_password"])
            item["agent"] = agents[login]
        self.draft_citizens = [
            page_session(url, login, password)
            for login in (drafts.get("citizens") or [])
            if not self.drafts_reason
        ]
        self.shown = {}

    def users(self):
        return max(len(self.conversations), len(self.draft_citizens))

    def request_page(self, n, side):
        item = self.conversations[n % len(self.conversations)]
        session = item["page"] if side == "citizen" else item["agent"]
        key = f"request-conversation-{side}"
        response, client, server = timed(
            session,
            "GET",
            f"{self.url}/{item['path']}",
            f"request page ({side})",
            texts=(item["number"],),
        )
        last = item["last_text"][side]
        self.shown.setdefault(key, []).append(last in page_text(response.text))
        return client, server

    def accueil(self, n):
        session = self.draft_citizens[n % len(self.draft_citizens)]
        return timed(
            session,
            "GET",
            f"{self.url}/@@mon-espace",
            "Accueil with drafts",
            texts=("Mon espace", DRAFTS_SECTION),
            check=self.drafts_check,
        )[1:]

    def drafts_check(self, response):
        """``timed`` check: the tab Accueil listing the household's drafts
        (« Supprimer » of each)."""
        problem = tab_check("Accueil")(response)
        shown = response.text.count(DRAFT_ROW)
        if problem is None and shown != self.per_household:
            problem = f"{shown} drafts listed, expected {self.per_household}"
        return problem

    def plan(self, page_target, staff_target=None):
        """``(figures to measure, figures not measured)``; the latter as
        ``(key, label, baseline key, target, reason)``. The agent's page
        has the staff's target (#22) when given."""
        conversation = [
            (
                "request-conversation-citizen",
                "Request page, 50 messages (citizen)",
                "document-citizen",
                page_target,
                lambda n: self.request_page(n, "citizen"),
            ),
            (
                "request-conversation-agent",
                "Request page, 50 messages (agent)",
                "document-agent",
                staff_target or page_target,
                lambda n: self.request_page(n, "agent"),
            ),
        ]
        drafts = [
            (
                "accueil-drafts",
                f"Accueil @@mon-espace, {self.per_household} drafts",
                "document-citizen",
                page_target,
                self.accueil,
            )
        ]
        measured, skipped = [], []
        if self.conversations:
            measured += conversation
        else:
            skipped += [(*row[:4], NO_CONVERSATION) for row in conversation]
        if self.draft_citizens:
            measured += drafts
        else:
            skipped += [(*row[:4], self.drafts_reason) for row in drafts]
        return measured, skipped

    def notes(self, key):
        """What to add to a figure: the share of its answers that showed the
        conversation."""
        if key not in self.shown:
            return {}
        seen = self.shown[key]
        return {"conversation_shown": f"{sum(seen)}/{len(seen)}"}
