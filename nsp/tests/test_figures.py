"""The one rounding of figures (``nsp.figures``): half up, whole percentages, localised text."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import get_format

from nsp import figures


@pytest.mark.parametrize(
    ("share", "expected"),
    [(0.138, 14), (0.135, 14), (0.125, 13), (0.1349, 13), (0.0, 0), (1.0, 100), (0.005, 1), (Decimal("0.8750"), 88)],
)
def test_percent_rounds_half_up(share, expected):
    assert figures.percent(share) == expected


def test_no_data_stays_empty():
    assert figures.percent(None) is None
    assert figures.percent_share(None) is None
    assert figures.percent_text(None) == "\u2014"
    assert figures.percent_text(None, empty="") == ""


def test_share_and_text_agree():
    # Brussels: 13.8 % read 13 % on the page (truncated), 14 % in the PDF and 13.8 in the CSV.
    assert figures.percent_share(0.138) == 0.14
    assert figures.percent_text(0.138) == "14 %"


def test_percent_filter_uses_the_same_rounding():
    rendered = Template("{% load nsp_pages %}{{ v|percent }}|{{ v|percent_value }}").render(Context({"v": 0.138}))
    assert rendered == "14 %|14"


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_counts_follow_the_language(language):
    with translation.override(language):
        assert figures.count_text(12345) == f"12{get_format('THOUSAND_SEPARATOR')}345"
