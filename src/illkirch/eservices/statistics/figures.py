"""The figures of the dashboard ``@@tableau-de-bord``, of ``GET
/@statistics`` and of their CSV and ODS downloads, computed from the
aggregates (``store.py``) for a user's scope (``scope.py``) and a period
(``periods.py``). docs/statistics.md gives each figure's exact definition.

``report(scope, period, service_uid=None)`` returns a JSON-ready dict:

    {
      "period": {"kind": "year", "from": "2026-01-01", "to": "2026-12-31",
                 "group_by": "month"},
      "service": None | uid,
      "threshold": 5,
      "requests": {
        "filed": int, "accepted": int, "rejected": int,
        "status_now": {state: int, ...},            # every state of STATES
        "processing_days": {"count": int, "median": float|None,
                            "p90": int|None},
        "within_delay": {"count": int, "share": float|None},  # 0..1
        "late_now": int,
        "series": [{"period": "2026-01", "label": "janvier 2026",
                    "from": "2026-01-01", "to": "2026-01-31",
                    "filed": int, "accepted": int, "rejected": int,
                    "median_days": float|None, "p90_days": int|None}],
      },
      "by_service": [{"uid", "title", "group", "group_title",
                      "announced_days", "filed", "accepted", "rejected",
                      "median_days", "p90_days", "within_delay_share",
                      "late_now", "status_now": {state: int}}],
      "by_group": [{"group", "title", + the same figures as by_service}],
      "by_assignee": [{"assignee", "name", "decided", "accepted",
                       "rejected", "median_days", "p90_days"}],
            # a count from 1 to 4 is the string "< 5", and the processing
            # times of an assignee with fewer than 5 decisions are None
      "payments": None | {"paid_count", "paid_cents", "failed_count",
                          "by_regie": [{"regie", "title", "paid_count",
                                        "paid_cents", "failed_count",
                                        "by_backend": [{"backend",
                                          "paid_count", "paid_cents",
                                          "failed_count"}]}]},
      "accounts": None | {"created": int, "validated": int,
                          "validation_days": {"count", "median", "p90"}},
      "messages": {"citizen": int, "agent": int, "internal": int},
    }

``payments`` and ``accounts`` are None for an agent (their groups'
services only): they are the town's, not a service's.
"""
