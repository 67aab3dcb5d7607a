"""The executive summary of a briefing report, computed from its data snapshot alone (no query).

Key figures, what changed since the previous quarter, and the zones needing attention, for the cover pages of
the national overview (and the figures the PDF, the XLSX and the page share: rounding by ``nsp.figures``).
"""

from __future__ import annotations

from typing import Any

from reporting import insights


def national_summary(snapshot: dict[str, Any]) -> dict[str, Any]:
    coverage = snapshot.get("coverage") or {"zones": [], "priorities": [], "totals": {}}
    trend = snapshot.get("trend") or {"national": [], "clusters": []}
    zones = coverage["zones"]
    with_plan = [z for z in zones if z.get("plan_id")]
    priorities = len(coverage["priorities"])
    adopted = coverage.get("totals", {}).get("adopted", 0)
    answers = len(with_plan) * priorities
    states = {row["status"]: row["count"] for row in snapshot.get("plans_by_status", [])}
    national = trend["national"]
    latest = national[-1] if national else None
    movers = []
    for cluster in trend.get("clusters", []):
        moved = insights.change(cluster["quarters"])
        if moved and moved["delta"] is not None:
            movers.append({"label": cluster["label"], "delta": moved["delta"], "now": moved["now"]["progress"]})
    movers.sort(key=lambda m: (-abs(m["delta"]), m["label"]))
    return {
        "zones": len(zones),
        "zones_with_plan": len(with_plan),
        "approved": states.get("approved", 0),
        "plans": sum(states.values()),
        "priorities": priorities,
        "adopted": adopted,
        "coverage_share": adopted / answers if answers else None,
        "progress": latest["progress"] if latest else None,
        "progress_status": latest["progress_status"] if latest else "no_data",
        "progress_status_label": latest["progress_status_label"] if latest else "",
        "progress_period": latest["period"] if latest else "",
        "change": insights.change(national),
        "movers": [m for m in movers if m["delta"]][:5],
        "overdue_total": snapshot.get("overdue_total", 0),
        "attention": (snapshot.get("attention") or {}).get("zones", [])[:5],
        "attention_total": (snapshot.get("attention") or {}).get("total", 0),
    }


def zone_summary(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The key figures of a zone annual report, from its snapshot."""
    objectives = snapshot["objectives"]
    statuses: dict[str, int] = {}
    for o in objectives:
        statuses[o["progress_status"]] = statuses.get(o["progress_status"], 0) + 1
    indicators = [i for o in objectives for i in o["indicators"]]
    alignment = snapshot.get("alignment") or {}
    return {
        "plan": snapshot["plan"],
        "objectives": len(objectives),
        "statuses": statuses,
        "off_track": [o for o in objectives if o["progress_status"] == "off_track"],
        "indicators": len(indicators),
        "overdue": [i for i in indicators if i["overdue"]],
        "late_actions": len(snapshot.get("actions_late", [])),
        "change": snapshot.get("change"),
        "adopted": alignment.get("adopted", 0),
        "not_adopted": alignment.get("not_adopted", 0),
        "undecided": alignment.get("undecided", 0),
    }
