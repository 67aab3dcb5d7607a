"""The printed plan: a zonal plan's document (its sections in order, with their Markdown text) and what its
generated chapters show (the argumentation matrix, the objectives, the expectations and national alignment),
as one JSON-ready snapshot for ``reporting/pdf/plan_document.html``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum

from nsp.models import Objective
from reporting import selectors
from zones import selectors as zone_selectors
from zones.models import Expectation, MatrixCandidate, StakeholderSource, ZonalSecurityPlan


def _objectives_of(objectives: list[dict[str, Any]], generated: str) -> list[dict[str, Any]]:
    """The objectives (in tree order, with depth) a chapter shows: all, or the subtrees of one domain."""
    if not generated.startswith("objectives:"):
        return objectives
    domain = generated.split(":", 1)[1]
    shown, current = [], None
    for row in objectives:
        if row["depth"] == 0:
            current = row["domain"]
        in_other = current not in ("security", "management")
        if (domain == "other" and in_other) or current == domain:
            shown.append(row)
    return shown


def plan_document(*, user, plan_id: int, as_of: dt.date) -> dict[str, Any]:
    """The plan's progress body (``selectors.plan_progress``) and its document. Raises ``DoesNotExist`` when the
    requester may not read the plan."""
    body = selectors.plan_progress(user=user, plan_id=plan_id, as_of=as_of)
    plan = ZonalSecurityPlan.objects.restrict(user, "view").get(pk=plan_id)
    domains = dict(Objective.objects.restrict(user, "view").filter(plan_id=plan_id).values_list("pk", "domain"))
    for row in body["objectives"]:
        row["domain"] = domains.get(row["id"], "")
    document = zone_selectors.plan_document(user=user, plan=plan)
    sections = []
    for item in zone_selectors.document_sections(document):
        generated = item.generated
        shown = _objectives_of(body["objectives"], generated) if generated.startswith("objectives") else []
        if generated == "objectives:other" and not shown:
            generated = ""  # every objective sits in one of the two domains' sub-chapters
        sections.append(
            {
                "id": item.section.pk,
                "anchor": item.anchor,
                "number": item.number,
                "depth": item.depth,
                "key": item.section.key,
                "heading": str(item.section.heading),
                "body": item.section.body,
                "generated": generated.split(":")[0],
                "objectives": _objectives_of(body["objectives"], generated)
                if generated.startswith("objectives")
                else [],
            }
        )
    candidates = (
        MatrixCandidate.objects.restrict(user, "view")
        .filter(plan_id=plan_id)
        .annotate(total=Sum("scores__score"))
        .select_related("objective")
        .order_by("-chosen", "-total", "label")
    )
    sources = dict(StakeholderSource.choices)
    toc = [
        {
            "anchor": chapter.anchor,
            "title": f"{chapter.number} {chapter.section.heading}",
            "children": [{"anchor": c.anchor, "title": f"{c.number} {c.section.heading}"} for c in chapter.children],
        }
        for chapter in document
    ]
    body["document"] = {
        "toc": toc,
        "sections": sections,
        "missing": zone_selectors.missing_generated(document),
        "matrix": [
            {
                "label": c.label,
                "total": c.total or 0,
                "chosen": c.chosen,
                "objective": str(c.objective) if c.objective_id else "",
            }
            for c in candidates
        ],
        "expectations": [
            {"source": str(sources.get(e.source, e.source)), "stakeholder": e.stakeholder, "text": e.text}
            for e in Expectation.objects.restrict(user, "view")
            .filter(plan_id=plan_id)
            .order_by("source", "position", "pk")
        ],
    }
    return body
