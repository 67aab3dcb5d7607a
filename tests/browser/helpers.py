"""What several browser tests use: the demo site's description, signing in, axe audits, a hand-made POST with
the page's cookies, moving focus with the Tab key."""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

PASSWORD = "demo"  # every demo user's (docs/demo.md)
# Violations of these impacts fail a page; the others are listed with them when a page fails.
BLOCKING_IMPACTS = ("serious", "critical")


@dataclasses.dataclass(frozen=True)
class DemoSite:
    """The served application and the primary keys of the demo rows the journeys use."""

    base_url: str
    var_dir: Path
    objects: dict
    server_log: Path
    worker_log: Path

    def plan(self, key: str) -> int:
        """A zonal plan by ``"<zone number>/<first year>"`` (``"5415/2020"``), or ``"<zone number>/current"``
        for the current municipal term (``"5339/current"``)."""
        return self.objects["plans"][key]

    def plan_title(self, key: str) -> str:
        return self.objects["titles"][key]

    def plan_url(self, key: str) -> str:
        return f"/plans/{self.plan(key)}/"

    def indicator_url(self, name: str) -> str:
        return f"/indicators/{self.objects['ghent_indicators'][name]}/"

    def logs(self, lines: int = 30) -> str:
        return "\n".join(
            f"--- last lines of the {label} log ({path}) ---\n{tail(path, lines)}"
            for label, path in (("web server", self.server_log), ("worker", self.worker_log))
        )


def tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


@functools.cache
def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def run_axe(page: Page, within: str | None = None) -> list[dict]:
    """axe-core's violations on the page (or the part ``within`` selects). The script is injected once per
    document, not once per run as axe_playwright_python's ``Axe.run`` does: tabbed pages run it often."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    return page.evaluate(
        "([within]) => axe.run(within || document, {resultTypes: ['violations']}).then(r => r.violations)",
        [within],
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def audit(page: Page, *, who: str, within: str | None = None) -> list[dict]:
    """Run axe-core on the page as it stands (or on the part ``within`` selects); fail on serious or critical
    violations, and, for a whole page, when it has not exactly one h1 and one main landmark. Returns every
    violation found, blocking or not."""
    violations = run_axe(page, within)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    problems = []
    if within is None:
        headings = page.locator("h1").count()
        if headings != 1:
            problems.append(f"{headings} h1 elements (one expected)")
        mains = page.get_by_role("main").count()
        if mains != 1:
            problems.append(f"{mains} main landmarks (one expected)")
    if blocking or problems:
        where = f"{page.url} ({within})" if within else page.url
        summary = "; ".join([*problems, f"{len(blocking)} serious or critical axe violations"])
        raise AssertionError(
            f"{where} as {who}: {summary}\nEvery axe violation found:\n{describe_violations(violations)}"
        )
    return violations


def audit_all_panels(page: Page, *, who: str) -> list[dict]:
    """Audit the page with every tab panel shown, as it reads without JavaScript, and every disclosure
    (``<details>``) open: axe skips what is hidden."""
    page.evaluate(
        """() => {
            document.querySelectorAll('[role=tabpanel][hidden]').forEach(panel => { panel.hidden = false; });
            document.querySelectorAll('details:not([open])').forEach(details => { details.open = true; });
        }"""
    )
    return audit(page, who=who)


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a user does; ends on the page the form sends to."""
    from playwright.sync_api import expect

    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def csrf_token(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def post_form(page: Page, path: str, data: dict[str, str]):
    """POST ``data`` to ``path`` with the page's session and CSRF token, as a hand-made form would."""
    return page.request.post(path, form=data, headers={"X-CSRFToken": csrf_token(page)}, max_redirects=0)


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> int:
    """Press Tab until ``target`` has the focus; returns how many presses it took (fails after ``limit``)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if is_focused(target):
            return presses
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{limit} presses of Tab never reached {target}; the focus is on {focused}")
