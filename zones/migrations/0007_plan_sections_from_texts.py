"""Every zonal plan gets the standard chapters; the four fixed texts move into them.

The text of ``environment_analysis``, ``mission``, ``vision`` and ``values`` becomes the body of the chapters
"Environment scan", "Mission", "Vision" and "Values". The four columns stay (retired, docs/decisions.md) so
nothing written before is lost, their history included. Going back copies the four chapters' text into them.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

# The standard chapters as they were when this migration was written (zones.models.STANDARD_CHAPTERS).
CHAPTERS = (
    ("environment", ("crime", "road_safety", "population", "internal")),
    ("mission_vision_values", ("mission", "vision", "values")),
    ("expectations", ()),
    ("matrix", ()),
    ("priorities", ("priorities_security", "priorities_management")),
    ("capacity", ()),
    ("communication", ()),
    ("approval", ()),
)
TEXTS = {"environment": "environment_analysis", "mission": "mission", "vision": "vision", "values": "values"}
REASON = "moved from the plan's text fields"


def forwards(apps, schema_editor):
    Plan = apps.get_model("zones", "ZonalSecurityPlan")
    Section = apps.get_model("zones", "PlanSection")
    History = apps.get_model("zones", "HistoricalPlanSection")
    now = timezone.now()
    have = set(Section.objects.values_list("plan_id", flat=True).distinct())
    plans = Plan.objects.exclude(pk__in=have).values("pk", *TEXTS.values()).order_by("pk")
    for plan in plans.iterator(chunk_size=500):
        top = []
        for position, (key, _children) in enumerate(CHAPTERS, start=1):
            top.append(Section(plan_id=plan["pk"], key=key, position=position, body=plan.get(TEXTS.get(key), "") or ""))
        Section.objects.bulk_create(top)
        below = []
        for parent, (_key, children) in zip(top, CHAPTERS, strict=True):
            for position, key in enumerate(children, start=1):
                body = plan.get(TEXTS.get(key), "") or ""
                below.append(Section(plan_id=plan["pk"], parent_id=parent.pk, key=key, position=position, body=body))
        Section.objects.bulk_create(below)
        History.objects.bulk_create(
            History(
                id=row.pk,
                plan_id=row.plan_id,
                parent_id=row.parent_id,
                position=row.position,
                key=row.key,
                title=row.title,
                body=row.body,
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for row in [*top, *below]
        )


def backwards(apps, schema_editor):
    """The four chapters' text back into the columns; every other section with text (the other chapters, the
    zone's own headings) is appended to the environment analysis under its heading, so nothing is lost."""
    Plan = apps.get_model("zones", "ZonalSecurityPlan")
    Section = apps.get_model("zones", "PlanSection")
    rows = Section.objects.order_by("plan_id", F("parent_id").asc(nulls_first=True), "position", "pk")
    by_plan: dict[int, dict[str, str]] = {}
    extra: dict[int, list[str]] = {}
    for row in rows.values("plan_id", "key", "title", "body").iterator():
        if row["key"] in TEXTS:
            by_plan.setdefault(row["plan_id"], {})[TEXTS[row["key"]]] = row["body"]
        elif row["body"].strip():
            heading = row["title"] or row["key"].replace("_", " ").capitalize()
            extra.setdefault(row["plan_id"], []).append(f"{heading}\n\n{row['body']}")
    for plan_id in set(by_plan) | set(extra):
        texts = by_plan.get(plan_id, {})
        if extra.get(plan_id):
            texts["environment_analysis"] = "\n\n".join([texts.get("environment_analysis", ""), *extra[plan_id]]).strip()
        Plan.objects.filter(pk=plan_id).update(**texts)
    Section.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("zones", "0006_plan_sections")]

    operations = [migrations.RunPython(forwards, backwards)]
