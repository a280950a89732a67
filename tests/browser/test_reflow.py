"""Browser test (Chromium): Reflow (WCAG 1.4.10) and axe-core on every page
a citizen or an agent uses, Plone's own pages the portal shows included
(login, search, sitemap, contact, accessibility). Each page is shown 320 px
wide (400 % zoom) and 640 px wide (200 % zoom): the page must not scroll
horizontally (``scrollWidth <= clientWidth``); at 320 px and at 1280 px
axe-core finds no violation (WCAG 2.0/2.1/2.2 A and AA, best practices).
One browser context per role (anonymous visitor, citizen, agent, Finance),
its pages in sequence; every failure of a role is listed at once, with the
elements that stick out."""

from illkirch.eservices.accounts.households import household_of
from illkirch.eservices.requests import submission
from illkirch.eservices.testing import DEMO_FUNCTIONAL_TESTING
from illkirch.eservices.testing.browser import ARTIFACTS
from illkirch.eservices.testing.browser import BrowserTestCase
from illkirch.eservices.testing.demo import AGENT
from illkirch.eservices.testing.demo import AMELIE
from illkirch.eservices.testing.demo import EDITOR
from illkirch.eservices.testing.demo import JEROME
from illkirch.eservices.testing.demo import REGIE
from illkirch.eservices.testing.demo import VOIRIE
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from playwright.sync_api import expect
from plone.app.testing import login
from plone.app.testing import logout

import os
import re
import time
import transaction


WIDTHS = (320, 640)
# axe-core runs at the narrowest width and on a desktop's screen
AXE_WIDTHS = (320, 1280)
HEIGHT = 800
# REFLOW_SCREENSHOTS=1: each page at each width saved under ARTIFACTS/reflow.
SCREENSHOTS = os.environ.get("REFLOW_SCREENSHOTS")

# What sticks out of the page: the deepest elements whose right edge passes
# the viewport (or whose left edge is before it), as short CSS paths.
OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) { return null; }
  const path = (el) => {
    const parts = [];
    for (let n = el; n && n.nodeType === 1 && parts.length < 4; n = n.parentElement) {
      let part = n.tagName.toLowerCase();
      if (n.id) { part += '#' + n.id; parts.unshift(part); break; }
      const cls = [...n.classList].slice(0, 2).join('.');
      if (cls) { part += '.' + cls; }
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  // fixed elements (Plone's off-canvas menu) do not make the page scroll
  const fixed = (el) => {
    for (let n = el; n && n !== document.body; n = n.parentElement) {
      if (getComputedStyle(n).position === 'fixed') { return true; }
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (getComputedStyle(el).visibility === 'hidden' || fixed(el)) { continue; }
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) { continue; }
    if (box.right <= width + 0.5 && box.left >= -0.5) { continue; }
    const inner = [...el.children].some((child) => {
      const b = child.getBoundingClientRect();
      return (b.width || b.height) && (b.right > width + 0.5 || b.left < -0.5);
    });
    if (!inner) {
      const where = Math.round(box.left) + '…' + Math.round(box.right);
      out.push(path(el) + ' (' + where + ')');
    }
    if (out.length >= 5) { break; }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, culprits: out};
}"""


# Touch targets of 44 × 44 px at 320 px: tabs, pagination, counters, links of
# lists, the sort links of card tables, buttons (not links inside sentences).
TARGETS_SCRIPT = """() => {
  const selector = [
    '.eservices-tabs a', '.pagination a', '.eservices-guichet-counts a',
    '#content .btn', '#content .list-group-item a',
    'table.eservices-cards th.eservices-cards-sort a',
  ].join(', ');
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) { continue; }
    if (box.width >= 43.5 && box.height >= 43.5) { continue; }
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    out.push('«' + text + '» ' + Math.round(box.width) + '×' + Math.round(box.height));
  }
  return out;
}"""


def member(userid, member_type):
    return next(
        p for p in household_of(userid).persons() if p.member_type == member_type
    ).getId()


class TestReflow(BrowserTestCase):
    layer = DEMO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        services = portal["demarches"]
        login(portal, "amélie.lire")
        self.passport = submission.submit(
            services["rendez-vous-passeport-cni"],
            dict(PASSPORT_ANSWERS),
            member_id=member("amelie.lire", "adult"),
        )
        submission.submit(
            services["inscription-periscolaire"],
            dict(PERISCOLAIRE_ANSWERS),
            by_post=True,
            member_id=member("amelie.lire", "child"),
        )
        logout()
        self.request_path = "/".join(self.passport.getPhysicalPath()[2:])
        self.household_path = "/".join(
            household_of("amelie.lire").getPhysicalPath()[2:]
        )
        transaction.commit()
        super().setUp()
        self.failures = []
        self.started = time.monotonic()
        self.visited = 0

    def tearDown(self):
        print(
            f"\n{self.id()}: {self.visited} page(s) at "
            f"{len({*WIDTHS, *AXE_WIDTHS})} widths "
            f"in {time.monotonic() - self.started:.1f} s"
        )
        super().tearDown()

    # helpers -------------------------------------------------------------

    def check(self, what, axe=True):
        """The current page at each width: no horizontal scrolling, touch
        targets of 44 px at 320 px, no axe violation at 320 and 1280 px
        (unless ``axe`` is false); failures are collected, reported by
        ``report``."""
        page = self.page
        page.wait_for_load_state("load")
        self.visited += 1
        for width in sorted({*WIDTHS, *AXE_WIDTHS}):
            self.resize(width)
            if width not in WIDTHS:
                self.audit(what, width, axe)
                continue
            if SCREENSHOTS:
                name = re.sub(r"\W+", "-", what.lower()).strip("-")
                page.screenshot(
                    path=str(ARTIFACTS / "reflow" / f"{name}-{width}.png"),
                    full_page=True,
                )
            overflow = page.evaluate(OVERFLOW_SCRIPT)
            if overflow:
                self.failures.append(
                    f"{what} at {width} px scrolls horizontally: scrollWidth "
                    f"{overflow['scrollWidth']} > clientWidth "
                    f"{overflow['clientWidth']}; sticking out: "
                    + "; ".join(overflow["culprits"])
                )
            small = page.evaluate(TARGETS_SCRIPT) if width == WIDTHS[0] else []
            if small:
                self.failures.append(
                    f"{what} at {width} px: touch targets under 44 px: "
                    + "; ".join(small[:6])
                )
            self.audit(what, width, axe)
        # back to the role's width for its next page
        self.resize(WIDTHS[0])

    def resize(self, width):
        self.page.set_viewport_size({"width": width, "height": HEIGHT})
        # the layout settles (Plone's toolbar listens to resize events)
        self.page.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() =>"
            " requestAnimationFrame(r)))"
        )

    def audit(self, what, width, axe):
        if not axe or width not in AXE_WIDTHS:
            return
        try:
            self.assert_accessible(f"{what} at {width} px")
        except AssertionError as error:
            self.failures.append(str(error))

    def visit(self, what, path, axe=True):
        self.page.goto(f"{self.portal_url}/{path}")
        self.check(what, axe=axe)

    def report(self):
        if self.failures:
            self.fail(
                f"{len(self.failures)} reflow/axe failure(s):\n\n"
                + "\n\n".join(self.failures)
            )

    def start(self, account=None):
        """The role's context starts at the narrowest width (the login form
        filled as a phone user would)."""
        self.page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        if account:
            self.login(*account)

    # the roles -----------------------------------------------------------

    def test_anonymous_visitor(self):
        self.start()
        self.visit("Accueil du site", "")
        self.visit("Se connecter", "login")
        self.visit("FAQ", "faq")
        self.visit("Démarches", "demarches")
        self.visit("Une démarche", "demarches/inscription-periscolaire")
        self.visit("Suivre ma demande", "@@suivre-ma-demande")
        self.visit("Créer un compte (1re étape)", "@@creer-un-compte")
        self.visit("Mot de passe oublié", "@@mot-de-passe-oublie")
        # Plone's own pages the portal shows
        self.visit("Recherche", "@@search?SearchableText=passeport")
        self.visit("Plan du site", "sitemap")
        self.visit("Contact", "contact-info")
        self.visit("Accessibilité (Plone)", "accessibility-info")
        self.report()

    def test_citizen(self):
        page = self.page
        self.start(AMELIE)
        self.visit("Mon espace → Accueil", "@@mon-espace")
        self.visit("Mon espace → Services", "@@mon-espace-services")
        self.visit("Démarches", "demarches")
        self.visit("Une démarche", "demarches/inscription-periscolaire")
        self.visit(
            "Le formulaire d'une démarche (1re étape)",
            "demarches/inscription-periscolaire/@@deposer",
        )
        self.visit("Mon espace → Compte", "@@mon-espace-compte")
        self.visit("Modifier le foyer", "@@modifier-foyer")
        self.visit("Ajouter un membre", "@@ajouter-membre")
        self.visit("Changer de mot de passe", "@@changer-mot-de-passe")
        self.visit("Mon espace → Demandes", "@@mon-espace-demandes")
        self.visit("Une demande", self.request_path)
        self.visit("Mon espace → Mes comptes", "@@mon-espace-factures")
        page.locator("#factures-a-payer a", has_text="V-2026-0412").click()
        expect(page.locator("h1")).to_contain_text("V-2026-0412")
        self.check("Une facture")
        self.visit("Panier vide", "@@panier")
        self.visit("Mes comptes", "@@mon-espace-factures")
        row = page.locator("#factures-a-payer tr", has_text="V-2026-0412")
        row.get_by_role("button", name="Ajouter au panier").click()
        expect(page.locator(".portalMessage").first).to_contain_text("panier")
        self.check("Mes comptes, une facture au panier")
        self.visit("Panier", "@@panier")
        page.get_by_role("button", name="Payer par carte").click()
        expect(page.locator("h1")).to_have_text("Banque de démonstration")
        self.check("Banque de démonstration")
        page.get_by_role("button", name="Payer", exact=True).click()
        expect(page.locator("#payment-status")).to_have_text("Paiement accepté")
        self.check("Retour de paiement")
        self.visit("Mes comptes après un paiement", "@@mon-espace-factures")
        self.visit("Suivre ma demande", "@@suivre-ma-demande")
        self.visit("FAQ", "faq")
        self.visit("Recherche (usager)", "@@search?SearchableText=passeport")
        self.visit("Plan du site (usager)", "sitemap")
        self.report()

    def test_agent(self):
        # eleven requests in the agent's queue: two pages of ten
        portal = self.layer["portal"]
        login(portal, "amélie.lire")
        for _ in range(9):
            submission.submit(
                portal["demarches"]["rendez-vous-passeport-cni"],
                dict(PASSPORT_ANSWERS),
                member_id=member("amelie.lire", "adult"),
            )
        logout()
        transaction.commit()
        self.start(AGENT)
        self.visit("Accueil du site (agent)", "")
        self.visit("Guichet", "@@guichet")
        self.visit("Guichet, page 1 sur 2", "@@guichet?b_size=10")
        expect(self.page.locator(".pagination .page-link")).to_have_count(2)
        self.visit("Une demande (agent)", self.request_path)
        self.visit("Comptes à valider", "@@comptes-a-valider")
        self.visit("Un foyer (agent)", self.household_path)
        self.visit("Recherche (agent)", "@@search?SearchableText=passeport")
        # more than one page of results: Plone's batch navigation, named
        expect(self.page.get_by_role("navigation", name="Pagination")).to_have_count(1)
        self.report()

    def test_editor(self):
        self.start(EDITOR)
        self.visit("Accueil du site (rédacteur)", "")
        self.visit("Démarches (rédacteur)", "demarches")
        self.visit("Une démarche (rédacteur)", "demarches/inscription-periscolaire")
        self.visit("FAQ (rédacteur)", "faq")
        self.report()

    def test_citizen_awaiting_validation(self):
        self.start(JEROME)
        self.visit("Mon espace → Accueil (compte en attente)", "@@mon-espace")
        self.visit("Mon espace → Compte (compte en attente)", "@@mon-espace-compte")
        self.visit(
            "Mon espace → Mes comptes (compte en attente)", "@@mon-espace-factures"
        )
        self.report()

    def test_agent_of_another_service(self):
        self.start(VOIRIE)
        self.visit("Guichet (voirie)", "@@guichet")
        self.report()

    def test_collapsed_toolbar_keeps_its_names(self):
        """Plone's side toolbar unpinned at 1280 px hides its labels as it
        does on phones: its links keep their names (axe link-name)."""
        page = self.page
        page.set_viewport_size({"width": 1280, "height": HEIGHT})
        self.login(*AGENT)
        page.goto(f"{self.portal_url}/@@guichet")
        expect(page.locator("body")).to_have_class(re.compile("toolbar-left-expanded"))
        page.locator("#edit-zone .toolbar-collapse").click()
        expect(page.locator("body")).not_to_have_class(
            re.compile("toolbar-left-expanded")
        )
        expect(page.locator("#personaltools-menulink")).to_have_accessible_name(
            re.compile(r"\S")
        )
        self.assert_accessible("Guichet, barre d'outils repliée")
        self.visited += 1

    def test_finance(self):
        self.start(REGIE)
        self.visit("Accueil du site (Finance)", "")
        self.visit("Moyen de paiement d'une régie", "regies/ville/@@moyen-de-paiement")
        self.report()

    def test_cards_keep_table_semantics(self):
        """At 320 px the invoices are cards, yet Chromium's accessibility tree
        still holds a table with its column headers and cells, and a cell's
        name is its content alone (the drawn label is not read twice)."""
        page = self.page
        self.start(AMELIE)
        page.goto(f"{self.portal_url}/@@mon-espace-factures")
        cell = page.locator("#factures-a-payer tbody td[data-label]").nth(1)
        expect(cell).to_have_css("display", "block")
        cdp = self.context.new_cdp_session(page)
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        roles = {}
        for node in nodes:
            role = node.get("role", {}).get("value")
            roles.setdefault(role, []).append(node)
        tables = [
            node
            for node in roles.get("table", [])
            if node.get("name", {}).get("value") == "Factures à payer"
        ]
        self.assertEqual(len(tables), 1, sorted(r for r in roles if r))
        headers = [n["name"]["value"] for n in roles.get("columnheader", [])]
        self.assertIn("Période", headers)
        self.assertIn("Échéance", headers)
        cells = [n.get("name", {}).get("value", "") for n in roles.get("cell", [])]
        self.assertIn("Régie Ville", cells)
        labels = ("Facture", "Période", "Échéance", "Montant")
        self.assertFalse([name for name in cells if name.startswith(labels)])
        self.visited += 1
