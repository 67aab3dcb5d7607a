"""The progress rules as pure functions: no database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.functional import Promise

from nsp import progress
from nsp.progress import ProgressStatus as S

D = dt.date
# A yearly indicator whose 2021 measurement ends exactly half-way: 365 of 730 days.
HALF_WAY = {"baseline_date": D(2020, 12, 31), "target_date": D(2022, 12, 31), "latest_period_end": D(2021, 12, 31)}


MEASURED_AS_OF = D(2022, 1, 15)


def measure(direction, baseline, target, value, *, tolerance="0.05", as_of=MEASURED_AS_OF, **dates):
    dates = {**HALF_WAY, **dates}
    return progress.indicator_progress(
        direction=direction,
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
        latest_value=None if value is None else Decimal(value),
        frequency="yearly",
        keep_tolerance=Decimal(tolerance),
        as_of=as_of,
        **dates,
    )


def test_half_way_fixture_expects_one_half():
    assert measure("increase", "0", "100", "50").expected == 0.5


# (direction, baseline, target, latest value, progress, status) at e = 0.5; the annotation tests reuse them.
INDICATOR_CASES = [
    # increase: p = (v - b) / (t - b), e = 0.5
    ("increase", "0", "100", "40", 0.4, S.ON_TRACK),  # exactly e - 0.10
    ("increase", "0", "100", "39.99", 0.3999, S.AT_RISK),  # just below
    ("increase", "0", "100", "25", 0.25, S.AT_RISK),  # exactly e - 0.25
    ("increase", "0", "100", "24.99", 0.2499, S.OFF_TRACK),  # just below
    ("increase", "0", "100", "100", 1.0, S.ACHIEVED),
    ("increase", "0", "100", "150", 1.0, S.ACHIEVED),  # over-achievement clamps to 1
    ("increase", "0", "100", "-10", 0.0, S.OFF_TRACK),  # below the baseline clamps to 0
    ("increase", "0", "100", "99.99", 0.9999, S.ON_TRACK),
    # decrease: the same shares, moving down
    ("decrease", "200", "100", "160", 0.4, S.ON_TRACK),
    ("decrease", "200", "100", "160.01", 0.3999, S.AT_RISK),
    ("decrease", "200", "100", "175", 0.25, S.AT_RISK),
    ("decrease", "200", "100", "175.01", 0.2499, S.OFF_TRACK),
    ("decrease", "200", "100", "100", 1.0, S.ACHIEVED),
    ("decrease", "200", "100", "60", 1.0, S.ACHIEVED),
    ("decrease", "200", "100", "230", 0.0, S.OFF_TRACK),
    # keep: 1 within 5 % of the target, else 0
    ("keep", "100", "100", "105", 1.0, S.ACHIEVED),
    ("keep", "100", "100", "95", 1.0, S.ACHIEVED),
    ("keep", "90", "100", "100", 1.0, S.ACHIEVED),
    ("keep", "100", "100", "105.01", 0.0, S.OFF_TRACK),
    ("keep", "100", "100", "94.99", 0.0, S.OFF_TRACK),
    ("keep", "-50", "-50", "-52.5", 1.0, S.ACHIEVED),
    ("keep", "-50", "-50", "-52.51", 0.0, S.OFF_TRACK),
    # keep at 0: |v| within the tolerance itself
    ("keep", "0", "0", "0.05", 1.0, S.ACHIEVED),
    ("keep", "0", "0", "-0.05", 1.0, S.ACHIEVED),
    ("keep", "0", "0", "0.0501", 0.0, S.OFF_TRACK),
]


@pytest.mark.parametrize(("direction", "baseline", "target", "value", "share", "status"), INDICATOR_CASES)
def test_indicator_status_boundaries(direction, baseline, target, value, share, status):
    result = measure(direction, baseline, target, value)
    assert result.progress == pytest.approx(share, abs=1e-12)
    assert result.status == status


@pytest.mark.parametrize(
    ("expected", "share", "status"),
    [
        (0.5, 0.4, S.ON_TRACK),
        (0.5, 0.25, S.AT_RISK),
        (0.3, 0.2, S.ON_TRACK),
        (0.3, 0.05, S.AT_RISK),
        (0.7, 0.6, S.ON_TRACK),
        (0.7, 0.45, S.AT_RISK),
        (0.7, 0.4499, S.OFF_TRACK),
        (1.0, 0.9, S.ON_TRACK),
        (1.0, 0.75, S.AT_RISK),
        (1.0, 0.7499, S.OFF_TRACK),
        (0.0, 0.0, S.ON_TRACK),
        (0.2, 0.0, S.AT_RISK),
        (0.3, 0.0, S.OFF_TRACK),
    ],
)
def test_status_thresholds_hold_exactly_at_the_margin(expected, share, status):
    assert progress.status_for(share, expected) == status


def test_keep_uses_the_plans_tolerance():
    assert measure("keep", "100", "100", "109", tolerance="0.10").status == S.ACHIEVED
    assert measure("keep", "100", "100", "111", tolerance="0.10").status == S.OFF_TRACK
    assert measure("keep", "0", "0", "0.1", tolerance="0.10").progress == 1.0
    assert measure("keep", "0", "0", "0.01", tolerance="0").progress == 0.0


def test_keep_outside_tolerance_early_in_the_period_is_still_on_track():
    early = measure("keep", "100", "100", "120", latest_period_end=D(2021, 1, 31))
    assert (early.progress, early.status) == (0.0, S.ON_TRACK)
    later = measure("keep", "100", "100", "120", latest_period_end=D(2021, 6, 30))
    assert later.status == S.AT_RISK


def test_no_measurement_is_no_data():
    result = measure("increase", "0", "100", None, latest_period_end=None)
    assert (result.progress, result.expected, result.status, result.has_data) == (None, None, S.NO_DATA, False)


def test_target_equal_to_baseline_is_refused_for_increase():
    with pytest.raises(ValueError):
        measure("increase", "100", "100", "100")


@pytest.mark.parametrize(
    ("at", "share"),
    [
        (D(2019, 6, 30), 0.0),  # before the baseline
        (D(2020, 12, 31), 0.0),  # on the baseline date
        (D(2021, 12, 31), 0.5),
        (D(2022, 12, 31), 1.0),  # on the target date
        (D(2023, 12, 31), 1.0),  # beyond it
    ],
)
def test_expected_is_clamped_to_the_indicator_period(at, share):
    assert measure("increase", "0", "100", "10", latest_period_end=at).expected == share


def test_elapsed_share_of_an_empty_span():
    day = D(2021, 3, 1)
    assert progress.elapsed_share(start=day, end=day, at=D(2021, 2, 28)) == 0.0
    assert progress.elapsed_share(start=day, end=day, at=day) == 1.0


# --- overdue -----------------------------------------------------------------------------------------

QUARTERLY = {"frequency": "quarterly", "baseline_date": D(2020, 1, 1), "target_date": D(2025, 12, 31)}


def overdue(latest_period_end, as_of, **dates):
    return progress.is_overdue(**{**QUARTERLY, **dates}, latest_period_end=latest_period_end, as_of=as_of)


def test_last_due_period_is_the_last_complete_one():
    due = progress.last_due_period(**QUARTERLY, as_of=D(2021, 5, 10))
    assert due.label == "2021-Q1"
    assert progress.last_due_period(**QUARTERLY, as_of=D(2021, 6, 30)).label == "2021-Q2"


def test_overdue_when_the_last_due_period_has_no_measurement():
    assert overdue(D(2020, 12, 31), D(2021, 5, 10)) is True
    assert overdue(None, D(2021, 5, 10)) is True


def test_not_overdue_when_measured():
    assert overdue(D(2021, 3, 31), D(2021, 5, 10)) is False


def test_a_later_period_counts():
    assert overdue(D(2021, 6, 30), D(2021, 5, 10)) is False


def test_not_overdue_before_the_first_due_period():
    assert progress.last_due_period(**QUARTERLY, as_of=D(2020, 2, 15)) is None
    assert overdue(None, D(2020, 2, 15)) is False
    # The period the baseline closes is not due: the baseline stands for it.
    assert overdue(None, D(2020, 2, 15), baseline_date=D(2019, 12, 31)) is False
    assert overdue(None, D(2020, 4, 1), baseline_date=D(2019, 12, 31)) is True


def test_after_the_target_period_the_targets_period_is_due():
    dates = {"target_date": D(2022, 5, 15)}
    due = progress.last_due_period(**{**QUARTERLY, **dates}, as_of=D(2023, 3, 1))
    assert due.label == "2022-Q2"
    assert overdue(D(2022, 3, 31), D(2023, 3, 1), **dates) is True
    assert overdue(D(2022, 6, 30), D(2023, 3, 1), **dates) is False
    # Before the target's period ends, the last complete one is due as usual.
    assert progress.last_due_period(**{**QUARTERLY, **dates}, as_of=D(2022, 6, 10)).label == "2022-Q1"


def test_indicator_progress_carries_overdue_and_due_period():
    result = measure("increase", "0", "100", None, latest_period_end=None, as_of=D(2022, 1, 15))
    assert result.overdue is True
    assert result.due_period.label == "2021"


def test_latest_measurement_ignores_periods_not_begun():
    class M:
        def __init__(self, label):
            from nsp import periods

            period = periods.parse(label)
            self.period_start, self.period_end = period.start, period.end

    rows = [M("2021-Q1"), M("2021-Q3"), M("2021-Q2")]
    assert progress.latest_measurement(rows, as_of=D(2021, 5, 1)).period_end == D(2021, 6, 30)
    assert progress.latest_measurement(rows, as_of=D(2021, 7, 1)).period_end == D(2021, 9, 30)
    assert progress.latest_measurement(rows, as_of=D(2020, 12, 31)) is None


# --- actions -----------------------------------------------------------------------------------------


ACTION_START, ACTION_DUE, ACTION_AS_OF = D(2021, 1, 1), D(2021, 12, 31), D(2021, 7, 2)


def act(status="in_progress", percent=50, start=ACTION_START, due=ACTION_DUE, as_of=ACTION_AS_OF):
    return progress.action_progress(
        status=status, percent_complete=percent, start_date=start, due_date=due, as_of=as_of
    )


def test_action_progress_is_percent_complete():
    result = act(percent=40, start=D(2021, 1, 1), due=D(2021, 1, 11), as_of=D(2021, 1, 6))
    assert (result.progress, result.expected, result.status) == (0.4, 0.5, S.ON_TRACK)
    assert act(percent=25, start=D(2021, 1, 1), due=D(2021, 1, 11), as_of=D(2021, 1, 6)).status == S.AT_RISK
    assert act(percent=24, start=D(2021, 1, 1), due=D(2021, 1, 11), as_of=D(2021, 1, 6)).status == S.OFF_TRACK


def test_done_action_is_achieved_and_never_late():
    result = act(status="done", percent=100, as_of=D(2022, 3, 1))
    assert (result.progress, result.status, result.late) == (1.0, S.ACHIEVED, False)


def test_late_when_past_due_and_not_done():
    assert act(as_of=D(2022, 1, 1)).late is True
    assert act(as_of=D(2021, 12, 31)).late is False  # due today is not yet late
    assert act(status="planned", percent=0, as_of=D(2022, 1, 1)).late is True


def test_cancelled_action_is_shown_as_cancelled_and_never_late():
    result = act(status="cancelled", percent=30, as_of=D(2022, 1, 1))
    assert (result.status, result.late, result.counts) == (S.CANCELLED, False, False)


def test_action_expected_is_the_elapsed_share_of_start_to_due():
    assert act(as_of=D(2020, 12, 1)).expected == 0.0
    assert act(as_of=D(2022, 2, 1)).expected == 1.0
    assert act(start=D(2021, 1, 1), due=D(2021, 1, 1), as_of=D(2021, 1, 1)).expected == 1.0


# --- means -------------------------------------------------------------------------------------------


def result(share, expected=0.5):
    return progress.Progress(share, expected, progress.status_for(share, expected))


NO_DATA = progress.Progress(None, None, S.NO_DATA)


def test_objective_is_the_weighted_mean_of_its_parts():
    mean = progress.objective_progress(
        indicators=[progress.Part(result(1.0), Decimal("3")), progress.Part(result(0.0), Decimal("1"))],
        actions=[],
    )
    assert mean.progress == 0.75
    assert mean.expected == 0.5
    assert mean.status == S.ON_TRACK


def test_objective_leaves_out_indicators_without_data_and_cancelled_actions():
    mean = progress.objective_progress(
        indicators=[progress.Part(result(0.2, 0.4)), progress.Part(NO_DATA, 5)],
        actions=[progress.Part(act(percent=60, as_of=D(2021, 1, 1))), progress.Part(act(status="cancelled"), 10)],
    )
    assert mean.progress == pytest.approx(0.4)
    assert mean.expected == pytest.approx(0.2)
    assert mean.status == S.ON_TRACK


def test_objective_with_neither_indicators_nor_actions_has_no_data():
    assert progress.objective_progress(indicators=[], actions=[]).status == S.NO_DATA
    only_empty = progress.objective_progress(indicators=[progress.Part(NO_DATA)], actions=[])
    assert (only_empty.progress, only_empty.status) == (None, S.NO_DATA)


def test_objective_achieved_only_when_every_part_is():
    parts = [progress.Part(result(1.0), 2), progress.Part(result(1.0), 1)]
    assert progress.objective_progress(indicators=parts, actions=[]).status == S.ACHIEVED
    parts.append(progress.Part(result(0.99, 0.5), 1))
    assert progress.objective_progress(indicators=parts, actions=[]).status == S.ON_TRACK


def test_plan_is_the_weighted_mean_of_objectives_with_data():
    summary = progress.group_progress(
        [
            progress.Part(result(0.9, 0.6), Decimal("2")),
            progress.Part(result(0.3, 0.6), Decimal("1")),
            progress.Part(NO_DATA, Decimal("4")),
        ]
    )
    assert summary.progress == pytest.approx(0.7)
    assert summary.expected == pytest.approx(0.6)
    assert summary.status == S.ON_TRACK
    assert (summary.objectives, summary.objectives_with_data) == (3, 2)


def test_group_thresholds_apply_to_the_mean():
    at_risk = progress.group_progress([progress.Part(result(0.2, 0.4)), progress.Part(result(0.4, 0.6))])
    assert (at_risk.progress, at_risk.expected, at_risk.status) == (pytest.approx(0.3), pytest.approx(0.5), S.AT_RISK)


def test_empty_group_has_no_data():
    summary = progress.group_progress([])
    assert (summary.progress, summary.status, summary.objectives) == (None, S.NO_DATA, 0)


def test_status_labels_are_translatable():
    assert isinstance(S.ON_TRACK.label, Promise)
    assert str(S.ON_TRACK.label) == "On track"


def test_rounded_for_presentation():
    assert progress.rounded(2 / 3) == 0.6667
    assert progress.rounded(None) is None


def test_worked_example_in_docs_progress_md():
    as_of = D(2021, 5, 10)
    burglaries = progress.indicator_progress(
        direction="decrease",
        baseline_value=400,
        baseline_date=D(2019, 12, 31),
        target_value=300,
        target_date=D(2023, 12, 31),
        frequency="quarterly",
        keep_tolerance=Decimal("0.05"),
        latest_value=370,
        latest_period_end=D(2021, 3, 31),
        as_of=as_of,
    )
    assert (burglaries.progress, progress.rounded(burglaries.expected), burglaries.status) == (
        pytest.approx(0.3),
        0.3121,
        S.ON_TRACK,
    )
    unmeasured = progress.indicator_progress(
        direction="increase",
        baseline_value=10,
        baseline_date=D(2019, 12, 31),
        target_value=20,
        target_date=D(2023, 12, 31),
        frequency="yearly",
        keep_tolerance=Decimal("0.05"),
        latest_value=None,
        latest_period_end=None,
        as_of=as_of,
    )
    assert (unmeasured.status, unmeasured.overdue, unmeasured.due_period.label) == (S.NO_DATA, True, "2020")
    campaign = act(percent=60, start=D(2021, 1, 1), due=D(2021, 12, 31), as_of=as_of)
    assert (progress.rounded(campaign.expected), campaign.status) == (0.3544, S.ON_TRACK)
    cameras = act(status="cancelled", percent=10, as_of=as_of)
    fewer_burglaries = progress.objective_progress(
        indicators=[progress.Part(burglaries, 3), progress.Part(unmeasured, 1)],
        actions=[progress.Part(campaign, 1), progress.Part(cameras, 1)],
    )
    assert (fewer_burglaries.progress, progress.rounded(fewer_burglaries.expected)) == (pytest.approx(0.375), 0.3227)
    assert fewer_burglaries.status == S.ON_TRACK
    accidents = progress.indicator_progress(
        direction="keep",
        baseline_value=20,
        baseline_date=D(2019, 12, 31),
        target_value=20,
        target_date=D(2022, 12, 31),
        frequency="quarterly",
        keep_tolerance=Decimal("0.05"),
        latest_value=23,
        latest_period_end=D(2021, 3, 31),
        as_of=as_of,
    )
    assert (accidents.progress, progress.rounded(accidents.expected), accidents.status) == (0.0, 0.4161, S.OFF_TRACK)
    safer_roads = progress.objective_progress(indicators=[progress.Part(accidents)], actions=[])
    plan = progress.group_progress([progress.Part(fewer_burglaries, 2), progress.Part(safer_roads, 1)])
    assert (plan.progress, progress.rounded(plan.expected), plan.status) == (pytest.approx(0.25), 0.3538, S.AT_RISK)
