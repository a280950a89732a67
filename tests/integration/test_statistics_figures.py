"""The statistics' figures (statistics/figures.py) for a generated set of
requests filed and decided on known days (time-machine), through the real
submission, assignment, transitions and recording: each figure is computed
again here, independently (``statistics.median``, a nearest-rank
percentile written here, business days from the ``holidays`` package's
Alsace calendar), and compared with the report's."""

from Acquisition import aq_parent
from collections import Counter
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from illkirch.eservices.accounts import households
from illkirch.eservices.requests import assignment
from illkirch.eservices.requests import processing
from illkirch.eservices.requests import submission
from illkirch.eservices.statistics import figures
from illkirch.eservices.statistics import periods
from illkirch.eservices.statistics import scope as scopes
from illkirch.eservices.statistics import store
from illkirch.eservices.testing import DEMO_INTEGRATION_TESTING
from illkirch.eservices.testing.requests import PASSPORT_ANSWERS
from illkirch.eservices.testing.requests import PERISCOLAIRE_ANSWERS
from illkirch.eservices.testing.requests import SIGNALEMENT_ANSWERS
from illkirch.eservices.testing.site import use_mock_mailhost
from plone import api
from plone.app.testing import login
from unittest import mock
from zoneinfo import ZoneInfo

import holidays
import math
import statistics
import time_machine
import unittest


PARIS = ZoneInfo("Europe/Paris")
ALSACE = holidays.country_holidays("FR", subdiv="6AE", years=range(2026, 2029))
TODAY = date(2027, 6, 30)
ACCUEIL, VOIRIE = "agent.accueil", "agent.voirie"
# (service, filed, decided, outcome, assignee) — None: not decided /
# decided without an assignee. Good Friday (26 March 2027), Easter Monday
# (29 March) and Ascension (6 May) fall inside some of them.
SPECS = (
    ("peri", date(2027, 3, 22), date(2027, 4, 2), "accept", ACCUEIL),
    ("peri", date(2027, 3, 1), date(2027, 3, 31), "reject", ACCUEIL),
    ("peri", date(2027, 2, 15), date(2027, 2, 17), "accept", ACCUEIL),
    ("passport", date(2027, 3, 25), date(2027, 4, 6), "accept", ACCUEIL),
    ("passport", date(2027, 1, 4), date(2027, 1, 5), "reject", ACCUEIL),
    ("passport", date(2027, 4, 30), date(2027, 5, 10), "accept", ACCUEIL),
    ("passport", date(2027, 2, 1), date(2027, 2, 3), "accept", None),
    ("street", date(2027, 3, 10), date(2027, 4, 20), "accept", VOIRIE),
    ("street", date(2027, 1, 11), date(2027, 1, 12), "reject", VOIRIE),
    ("street", date(2027, 5, 3), None, None, None),  # late by June
    ("peri", date(2027, 6, 28), None, None, None),  # not late yet
)
OUTCOMES = {"accept": "accepted", "reject": "rejected"}


def working(day):
    return day.weekday() < 5 and day not in ALSACE


def days_between(first, last):
    """Working days after ``first`` up to ``last`` (written again here)."""
    return sum(
        1 for n in range(1, (last - first).days + 1) if working(first + timedelta(n))
    )


def deadline(first, allowed):
    day = first
    while allowed:
        day += timedelta(1)
        allowed -= working(day)
    return day


def nearest_rank(values, rank=90):
    values = sorted(values)
    return values[math.ceil(rank / 100 * len(values)) - 1] if values else None


def median(values):
    return statistics.median(values) if values else None


def masked(count):
    return "< 5" if 0 < count < 5 else count


def at(day, hour=10):
    return time_machine.travel(
        datetime.combine(day, time(hour), tzinfo=PARIS), tick=False
    )


class TestStatisticsFigures(unittest.TestCase):
    layer = DEMO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        _mailhost, restore = use_mock_mailhost(self.portal)
        self.addCleanup(restore)
        folder = self.portal["demarches"]
        self.services = {
            "peri": folder["inscription-periscolaire"],
            "passport": folder["rendez-vous-passeport-cni"],
            "street": folder["signalement-voie-publique"],
        }
        self.before = store.status_counts()
        self.rows = []  # (spec, request)
        for spec in sorted(SPECS, key=lambda spec: spec[1]):
            self.rows.append((spec, self.file(*spec[:2])))
        decisions = sorted(
            (row for row in self.rows if row[0][2]), key=lambda row: row[0][2]
        )
        for (_key, _filed, decided, transition, assignee), request_obj in decisions:
            with at(decided):
                login(self.portal, assignee or ACCUEIL)
                if assignee:
                    assignment.assign(request_obj, assignee)
                processing.fire(request_obj, "mark_complete")
                processing.fire(request_obj, transition, "Décision de la mairie.")
        self.add_town_facts()

    def file(self, key, filed):
        answers = {
            "peri": PERISCOLAIRE_ANSWERS,
            "passport": PASSPORT_ANSWERS,
            "street": SIGNALEMENT_ANSWERS,
        }[key]
        with at(filed, hour=9):
            login(self.portal, "amélie.lire")
            home = households.household_of("amelie.lire")
            member = next(p for p in home.persons() if p.member_type == "adult")
            child = next(p for p in home.persons() if p.member_type == "child")
            member_id = {"peri": child.getId(), "passport": member.getId()}.get(key)
            kwargs = {"member_id": member_id} if member_id else {}
            if key == "peri":
                kwargs["by_post"] = True  # the documents come by post
            return submission.submit(self.services[key], dict(answers), **kwargs)

    # payments and accounts: their facts as recording.py writes them ----------

    PAYMENTS = (
        (date(2027, 1, 15), "ville", "systempay", "paid", 2500),
        (date(2027, 2, 15), "ville", "systempay", "paid", 1250),
        (date(2027, 2, 16), "ville", "systempay", "failed", 1250),
        (date(2027, 3, 1), "ville", "dummy", "paid", 700),
        (date(2027, 3, 2), "ecoles", "payfip", "paid", 4000),
        (date(2027, 3, 3), "ecoles", "payfip", "cancelled", 4000),
        (date(2026, 12, 31), "ville", "systempay", "paid", 9999),  # before
    )
    ACCOUNTS = (
        # (registered, validated or None)
        (date(2027, 3, 24), date(2027, 3, 30)),  # Good Friday, Easter Monday
        (date(2027, 1, 4), date(2027, 1, 4)),
        (date(2027, 5, 5), date(2027, 5, 10)),  # Ascension, a Saturday
        (date(2027, 6, 1), None),
    )

    MESSAGES = (
        (date(2027, 1, 5), "street", "citizen"),
        (date(2027, 1, 6), "street", "agent"),
        (date(2027, 2, 6), "peri", "citizen"),
        (date(2027, 2, 7), "peri", "internal"),
        (date(2028, 1, 7), "peri", "citizen"),  # after
    )

    def add_town_facts(self):
        for day, key, side in self.MESSAGES:
            store.add(day, (store.MESSAGE, self.services[key].UID(), side))
        for day, regie, backend, status, cents in self.PAYMENTS:
            store.add(day, (store.PAYMENT, regie, backend, status))
            store.add(day, (store.PAYMENT_CENTS, regie, backend, status), cents)
        for registered, validated in self.ACCOUNTS:
            store.add(registered, (store.ACCOUNT, "created"))
            if validated:
                fact = (store.ACCOUNT, "validated", days_between(registered, validated))
                store.add(validated, fact)

    # expected ------------------------------------------------------------------

    def decided(self, keys=None):
        """``(spec, days, within)`` of the decisions of the services ``keys``."""
        found = []
        for spec, _request_obj in self.rows:
            key, filed, decided, _transition, _assignee = spec
            if decided and (keys is None or key in keys):
                due = deadline(filed, self.services[key].processing_days)
                found.append((spec, days_between(filed, decided), decided <= due))
        return found

    def expected_cell(self, keys):
        decided = self.decided(keys)
        days = [d for _spec, d, _within in decided]
        outcomes = Counter(OUTCOMES[spec[3]] for spec, _d, _w in decided)
        uids = [self.services[key].UID() for key in keys]
        late = 0
        status = Counter()
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(
            portal_type="Request", service_uid=uids
        ):
            obj = brain._unrestrictedGetObject()
            late += processing.is_late(obj, on=TODAY)
        for (uid, state), count in self.before.items():
            if uid in uids:
                status[state] += count
        for spec, request_obj in self.rows:
            if spec[0] in keys:
                status[api.content.get_state(request_obj)] += 1
        return {
            "filed": sum(1 for spec, _r in self.rows if spec[0] in keys),
            "accepted": outcomes["accepted"],
            "rejected": outcomes["rejected"],
            "median_days": median(days),
            "p90_days": nearest_rank(days),
            "within_delay_share": (
                sum(w for _s, _d, w in decided) / len(decided) if decided else None
            ),
            "late_now": late,
            "status_now": {state: status[state] for state in processing.STATES},
        }

    def report(self, user, **form):
        login(self.portal, user)
        with at(TODAY):
            period = periods.parse(form)
            return figures.report(
                scopes.scope_of(), period, service_uid=form.get("service")
            )

    def supervisor(self):
        api.user.create(
            email="chef@illkirch.example", username="chef.service", password="x" * 20
        )
        api.group.add_user(groupname="Responsables", username="chef.service")
        return "chef.service"

    # tests ---------------------------------------------------------------------

    def test_requests_of_the_town(self):
        with at(TODAY):
            result = self.report(
                self.supervisor(), period="year", **{"from": "2027-03-01"}
            )
        self.assertEqual(
            result["period"],
            {
                "kind": "year",
                "from": "2027-01-01",
                "to": "2027-12-31",
                "group_by": "month",
            },
        )
        everything = self.expected_cell(set(self.services))
        requests = result["requests"]
        for name in ("filed", "accepted", "rejected", "late_now", "status_now"):
            self.assertEqual(requests[name], everything[name], name)
        days = [d for _s, d, _w in self.decided()]
        self.assertEqual(
            requests["processing_days"],
            {"count": len(days), "median": median(days), "p90": nearest_rank(days)},
        )
        self.assertEqual(
            requests["within_delay"]["share"], everything["within_delay_share"]
        )
        self.assertGreaterEqual(requests["late_now"], 1)
        # the holidays are not working days: Good Friday and Easter Monday
        first = next(s for s, d, _w in self.decided() if s[1] == date(2027, 3, 22))
        self.assertEqual(first[2], date(2027, 4, 2))
        self.assertIn(days_between(date(2027, 3, 22), date(2027, 4, 2)), days)
        self.assertEqual(days_between(date(2027, 3, 22), date(2027, 4, 2)), 7)

        # the series: a month each, the filings and decisions of the month
        self.assertEqual(
            [b["period"] for b in requests["series"]][:2], ["2027-01", "2027-02"]
        )
        self.assertEqual(requests["series"][0]["label"], "janvier 2027")
        for bucket in requests["series"]:
            month = int(bucket["period"][5:])
            in_month = [(s, d) for s, d, _w in self.decided() if s[2].month == month]
            values = [d for _s, d in in_month]
            self.assertEqual(
                bucket["filed"],
                sum(1 for spec, _r in self.rows if spec[1].month == month),
            )
            self.assertEqual(
                (bucket["accepted"], bucket["rejected"]),
                (
                    sum(1 for s, _d in in_month if s[3] == "accept"),
                    sum(1 for s, _d in in_month if s[3] == "reject"),
                ),
            )
            self.assertEqual(bucket["median_days"], median(values))
            self.assertEqual(bucket["p90_days"], nearest_rank(values))

        # by service and by group (one service per group in the demo)
        for key, service in self.services.items():
            row = next(r for r in result["by_service"] if r["uid"] == service.UID())
            expected = self.expected_cell({key})
            self.assertEqual({k: row[k] for k in expected}, expected, key)
            self.assertEqual(row["announced_days"], service.processing_days)
            group = next(
                g for g in result["by_group"] if g["group"] == service.agents_group
            )
            self.assertEqual({k: group[k] for k in expected}, expected, key)
            self.assertEqual(
                group["title"], api.group.get(service.agents_group).getProperty("title")
            )

    def test_assignees_under_the_threshold(self):
        result = self.report(self.supervisor())
        mine = {}  # assignee ("": unassigned) → [(spec, days)]
        for spec, days, _within in self.decided():
            mine.setdefault(spec[4] or "", []).append((spec, days))

        def cells(decisions):
            values = [d for _s, d in decisions]
            shown = len(decisions) >= 5
            return {
                "decided": masked(len(decisions)),
                "accepted": masked(sum(1 for s, _d in decisions if s[3] == "accept")),
                "rejected": masked(sum(1 for s, _d in decisions if s[3] == "reject")),
                "median_days": median(values) if shown else None,
                "p90_days": nearest_rank(values) if shown else None,
            }

        def fullname(userid):
            return api.user.get(userid=userid).getProperty("fullname")

        named = sorted(
            (a for a in mine if a and len(mine[a]) >= 5), key=lambda a: fullname(a)
        )
        few = [a for a in mine if a and len(mine[a]) < 5]
        expected = [
            {"assignee": a, "name": fullname(a), "others": False, **cells(mine[a])}
            for a in named
        ]
        if few:
            expected.append(
                {
                    "assignee": None,
                    "name": "",
                    "others": True,
                    "agents": masked(len(few)),
                    **cells([d for a in few for d in mine[a]]),
                }
            )
        if "" in mine:
            expected.append(
                {"assignee": "", "name": "", "others": False, **cells(mine[""])}
            )
        self.assertEqual(result["by_assignee"], expected)
        # the generated set has both sides of the threshold: Claire Guichet
        # by name (6 decisions), Marc Voirie (2) only among the others
        self.assertEqual(named, [ACCUEIL])
        self.assertEqual(few, [VOIRIE])
        self.assertEqual(result["by_assignee"][0]["name"], "Claire Guichet (agent)")
        self.assertEqual(result["by_assignee"][0]["decided"], 6)
        self.assertEqual(result["by_assignee"][0]["accepted"], "< 5")
        others = result["by_assignee"][1]
        self.assertEqual((others["agents"], others["decided"]), ("< 5", "< 5"))
        self.assertNotIn(VOIRIE, repr(result["by_assignee"]))
        self.assertNotIn("Voirie", repr(result["by_assignee"]))

    def test_others_shown_from_five(self):
        """The row of the assignees under 5 decisions each: its counts and
        its number of agents are exact from 5, its times shown from 5
        decisions; an assignee from 5 decisions has their own row."""
        decisions = {  # assignee → [(outcome, business days)]
            "agent.a": [("accepted", 2)],
            "agent.b": [("accepted", 4)],
            "agent.c": [("rejected", 1)],
            "agent.d": [("accepted", 8)],
            "agent.e": [("accepted", 3), ("accepted", 6)],
            ACCUEIL: [("accepted", 1)] * 4 + [("rejected", 9)],
        }
        tallies = {}
        for assignee, outcomes in decisions.items():
            tally = tallies[assignee] = figures.Tally()
            for outcome, days in outcomes:
                tally.decide(outcome, days, 1, 1)
        rows = figures.assignee_rows(tallies, {})
        self.assertEqual([r["assignee"] for r in rows], [ACCUEIL, None])
        self.assertEqual(rows[0]["name"], "Claire Guichet (agent)")
        self.assertEqual(
            (rows[0]["decided"], rows[0]["rejected"], rows[0]["median_days"]),
            (5, "< 5", 1.0),
        )
        values = [2, 4, 1, 8, 3, 6]
        self.assertEqual(
            rows[1],
            {
                "assignee": None,
                "name": "",
                "others": True,
                "agents": 5,
                "decided": 6,
                "accepted": 5,
                "rejected": "< 5",
                "median_days": median(values),
                "p90_days": nearest_rank(values),
            },
        )
        # fewer: every count « < 5 », no times
        del tallies["agent.e"], tallies[ACCUEIL]
        self.assertEqual(
            figures.assignee_rows(tallies, {}),
            [
                {
                    "assignee": None,
                    "name": "",
                    "others": True,
                    "agents": "< 5",
                    "decided": "< 5",
                    "accepted": "< 5",
                    "rejected": "< 5",
                    "median_days": None,
                    "p90_days": None,
                }
            ],
        )

    def test_payments_and_accounts(self):
        result = self.report(self.supervisor())
        payments = result["payments"]
        kept = [p for p in self.PAYMENTS if p[0].year == 2027]
        paid = [p for p in kept if p[3] == "paid"]
        self.assertEqual(payments["paid_count"], len(paid))
        self.assertEqual(payments["paid_cents"], sum(p[4] for p in paid))
        self.assertEqual(
            payments["failed_count"], sum(1 for p in kept if p[3] == "failed")
        )
        for regie in payments["by_regie"]:
            mine = [p for p in kept if p[1] == regie["regie"]]
            self.assertEqual(
                regie["paid_count"], sum(1 for p in mine if p[3] == "paid")
            )
            for backend in regie["by_backend"]:
                theirs = [p for p in mine if p[2] == backend["backend"]]
                self.assertEqual(
                    (
                        backend["paid_count"],
                        backend["paid_cents"],
                        backend["failed_count"],
                    ),
                    (
                        sum(1 for p in theirs if p[3] == "paid"),
                        sum(p[4] for p in theirs if p[3] == "paid"),
                        sum(1 for p in theirs if p[3] == "failed"),
                    ),
                )
        self.assertEqual(
            {r["regie"] for r in payments["by_regie"]}, {"ville", "ecoles"}
        )
        accounts = result["accounts"]
        delays = [days_between(a, b) for a, b in self.ACCOUNTS if b]
        self.assertEqual(accounts["created"], len(self.ACCOUNTS))
        self.assertEqual(accounts["validated"], len(delays))
        self.assertEqual(
            accounts["validation_days"],
            {
                "count": len(delays),
                "median": median(delays),
                "p90": nearest_rank(delays),
            },
        )
        self.assertEqual(days_between(date(2027, 3, 24), date(2027, 3, 30)), 2)
        sides = Counter(side for day, _key, side in self.MESSAGES if day.year == 2027)
        self.assertEqual(
            result["messages"],
            {side: sides[side] for side in ("citizen", "agent", "internal")},
        )
        voirie = self.report(VOIRIE)["messages"]
        sides = Counter(
            side
            for day, key, side in self.MESSAGES
            if day.year == 2027 and key == "street"
        )
        self.assertEqual(voirie["citizen"], sides["citizen"])

    def test_an_agent_sees_their_groups_services_only(self):
        result = self.report(VOIRIE)
        street = self.services["street"]
        self.assertEqual([r["uid"] for r in result["by_service"]], [street.UID()])
        self.assertIsNone(result["payments"])
        self.assertIsNone(result["accounts"])
        expected = self.expected_cell({"street"})
        self.assertEqual(result["requests"]["filed"], expected["filed"])
        self.assertEqual(result["requests"]["status_now"], expected["status_now"])
        # Marc Voirie's 2 decisions: only in the unnamed row
        self.assertEqual(
            [(r["assignee"], r["others"]) for r in result["by_assignee"]],
            [(None, True)],
        )
        with self.assertRaises(LookupError):
            self.report(VOIRIE, service=self.services["peri"].UID())

    def test_one_service_a_quarter(self):
        passport = self.services["passport"]
        result = self.report(
            ACCUEIL, service=passport.UID(), period="quarter", **{"from": "2027-04-15"}
        )
        self.assertEqual(result["service"], passport.UID())
        in_quarter = [
            d for s, d, _w in self.decided({"passport"}) if s[2].month in (4, 5, 6)
        ]
        self.assertEqual(
            result["requests"]["processing_days"]["median"], median(in_quarter)
        )
        self.assertEqual(
            result["requests"]["filed"],
            sum(
                1
                for s, _r in self.rows
                if s[0] == "passport" and s[1].month in (4, 5, 6)
            ),
        )
        self.assertEqual(
            [b["label"] for b in result["requests"]["series"]],
            ["avril 2027", "mai 2027", "juin 2027"],
        )

    def test_kept_sums_equal_a_recount_after_creates_transitions_deletions(self):
        """The closed days' sums kept in memory (#22) give the report a
        recount gives (the kept sums forgotten), after a request filed,
        decided and removed today, a late write to a closed day that makes
        a row's counts add up to zero, and a new compaction."""
        chef = self.supervisor()

        def kept_and_recounted():
            kept = self.report(chef)
            again = self.report(VOIRIE)
            figures.forget_sums()
            self.assertEqual(self.report(VOIRIE), again)
            self.assertEqual(self.report(chef), kept)
            return kept

        with at(TODAY):
            store.compact()
        token = store.closed_key()
        self.assertIsNotNone(token)
        first = kept_and_recounted()
        # kept: the closed days are not read again
        with mock.patch.object(
            store, "closed_facts", side_effect=AssertionError("read again")
        ):
            self.assertEqual(self.report(chef), first)
        # created, decided, removed today (live facts, read each time)
        created = self.file("street", TODAY)
        with at(TODAY):
            login(self.portal, VOIRIE)
            processing.fire(created, "mark_complete")
            processing.fire(created, "accept", "Décision de la mairie.")
        after = kept_and_recounted()
        self.assertEqual(after["requests"]["filed"], first["requests"]["filed"] + 1)
        self.assertEqual(
            after["requests"]["accepted"], first["requests"]["accepted"] + 1
        )
        with at(TODAY):
            aq_parent(created)._delObject(created.getId())
        removed = kept_and_recounted()
        self.assertEqual(
            sum(removed["requests"]["status_now"].values()),
            sum(first["requests"]["status_now"].values()),
        )
        # a late write to a closed day: the dummy backend's counts add up
        # to zero, its row goes as it would in a recount
        day = date(2027, 3, 1)
        store.add(day, (store.PAYMENT, "ville", "dummy", "paid"), -1)
        store.add(day, (store.PAYMENT_CENTS, "ville", "dummy", "paid"), -700)
        self.assertEqual(store.closed_key(), token)
        late = kept_and_recounted()
        (ville,) = [r for r in late["payments"]["by_regie"] if r["regie"] == "ville"]
        self.assertNotIn("dummy", [b["backend"] for b in ville["by_backend"]])
        # frozen again: a new token, the closed days read again
        with at(TODAY):
            store.compact()
        self.assertNotEqual(store.closed_key(), token)
        self.assertEqual(kept_and_recounted(), late)

    def test_nobody_else(self):
        login(self.portal, "amélie.lire")
        self.assertIsNone(scopes.scope_of())

    def test_csv_and_ods_hold_the_report(self):
        from illkirch.eservices.statistics import export
        from odf.opendocument import load
        from odf.table import Table
        from odf.table import TableCell
        from odf.table import TableRow

        import csv
        import io

        result = self.report(self.supervisor())
        data = export.csv_export(result)
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        headings = [name for name, _header, _rows in export.sections(result)]
        self.assertEqual(
            headings,
            [
                "Période",
                "Demandes",
                "Évolution",
                "Par démarche",
                "Par groupe d'agents",
                "Par agent",
                "Paiements en ligne",
                "Comptes",
                "Messages",
            ],
        )
        self.assertIn(["Déposées", str(result["requests"]["filed"])], rows)
        median_days = result["requests"]["processing_days"]["median"]
        self.assertIn(
            ["Délai médian (jours ouvrés)", f"{median_days:g}".replace(".", ",")], rows
        )
        self.assertFalse([r for r in rows if "Voirie" in ";".join(r)])
        header = rows[rows.index(["Par agent"]) + 1]
        self.assertEqual(
            header,
            [
                "Agent",
                "Décisions",
                "Validées",
                "Refusées",
                "Délai médian (jours ouvrés)",
                "90e centile (jours ouvrés)",
            ],
        )
        others = next(
            r for r in rows if r[:1] == ["Autres agents (moins de 5 décisions chacun)"]
        )
        self.assertEqual(others[1:], ["< 5", "< 5", "< 5", "", ""])
        unassigned = next(r for r in rows if r[:1] == ["Non assignée"])
        self.assertEqual(unassigned[1:4], ["< 5", "< 5", "0"])
        self.assertIn(["Validées", str(result["requests"]["accepted"])], rows)
        accepted_now = result["requests"]["status_now"]["accepted"]
        self.assertIn(["Statut actuel : Validée", str(accepted_now)], rows)
        self.assertIn(["Période", "Année"], rows)
        self.assertIn(["Démarche", "Toutes les démarches"], rows)
        paid = result["payments"]["paid_cents"]
        total = next(r for r in rows if r[:1] == ["Toutes les régies"])
        self.assertEqual(total[3], f"{paid / 100:.2f}".replace(".", ","))
        # a title a spreadsheet would take for a formula is written as text
        result["by_service"][0]["title"] = '=HYPERLINK("http://x.example")'
        rows = list(
            csv.reader(
                io.StringIO(export.csv_export(result).decode("utf-8-sig")),
                delimiter=";",
            )
        )
        self.assertIn('\'=HYPERLINK("http://x.example")', [r[0] for r in rows if r])

        document = load(io.BytesIO(export.ods_export(result)))
        sheets = document.spreadsheet.getElementsByType(Table)
        self.assertEqual([s.getAttribute("name") for s in sheets], headings)
        requests_sheet = sheets[1]
        values = {}
        for row in requests_sheet.getElementsByType(TableRow)[2:]:
            cells = row.getElementsByType(TableCell)
            values[str(cells[0])] = cells[1].getAttribute("value")
        self.assertEqual(float(values["Déposées"]), result["requests"]["filed"])
        self.assertEqual(float(values["Délai médian (jours ouvrés)"]), median_days)
        self.assertEqual(
            float(values["En retard aujourd'hui"]), result["requests"]["late_now"]
        )
