"""The GitHub Actions workflows: valid against the published schema, clean under
zizmor, and wired to the project's own entry points (`make test`, `make site`).

test.yml must run the README's test command, as .ci/run does; deploy.yml must
build with `make site` for the Pages URL and publish site/ through the official
Pages actions. Each checker is also run on a broken workflow, so that a checker
that silently passes everything would fail here too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
TEST_WF = WORKFLOWS / "test.yml"
DEPLOY_WF = WORKFLOWS / "deploy.yml"
CI_RUN = REPO / ".ci" / "run"
README = REPO / "README.md"

SHA_PIN = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"^\s+#\s+v\d+\.\d+\.\d+\s*$")


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # PyYAML (YAML 1.1) reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on or {}


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def action(step: dict) -> str | None:
    uses = step.get("uses")
    return uses.split("@", 1)[0] if uses else None


def find_step(job: dict, action_name: str) -> tuple[int, dict]:
    for index, step in enumerate(steps(job)):
        if action(step) == action_name:
            return index, step
    raise AssertionError(f"no step uses {action_name}")


def run_lines(step: dict) -> list[str]:
    return [line.strip() for line in (step.get("run") or "").splitlines() if line.strip()]


def find_run(job: dict, command: str) -> tuple[int, dict]:
    for index, step in enumerate(steps(job)):
        if command in run_lines(step):
            return index, step
    raise AssertionError(f"no step runs `{command}`")


def tool(name: str) -> str:
    """A console script of the test extra: next to this interpreter (the venv), else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    assert found, f"{name} is not installed: it is in the test extra (pip install -e '.[test]')"
    return found


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=120)


def zizmor(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    return subprocess.run([tool("zizmor"), "--offline", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


# --- the checkers ----------------------------------------------------------------------------------

def test_both_workflows_exist():
    assert TEST_WF.is_file() and DEPLOY_WF.is_file()
    assert {p.name for p in workflow_files()} >= {"test.yml", "deploy.yml"}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_is_valid_against_the_github_workflow_schema(path):
    result = check_jsonschema(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing():
    result = zizmor(".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout + result.stderr
    as_json = zizmor("--format", "json", ".github/workflows")
    findings = json.loads(as_json.stdout)
    assert findings == [], [f"{f['ident']}: {f['desc']}" for f in findings]


BROKEN = """\
name: broken
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
        unknown-key: true
"""


def test_the_checkers_reject_a_broken_workflow(tmp_path):
    """check-jsonschema and zizmor must actually fail on a bad workflow, or the tests above prove nothing."""
    bad = tmp_path / "broken.yml"
    bad.write_text(BROKEN, encoding="utf-8")
    assert check_jsonschema(bad).returncode != 0
    result = zizmor("--format", "json", str(bad))
    assert result.returncode != 0
    idents = {f["ident"] for f in json.loads(result.stdout)}
    assert {"unpinned-uses", "artipacked"} <= idents, idents


# --- every workflow --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    uses = [m for m in map(USES_LINE.match, path.read_text(encoding="utf-8").splitlines()) if m]
    assert uses
    for match in uses:
        ref = match.group("ref")
        assert SHA_PIN.match(ref), f"{ref} is not pinned to a full commit SHA"
        assert VERSION_COMMENT.match(match.group("rest")), f"{ref} has no '# vX.Y.Z' comment"


def test_an_action_is_pinned_to_the_same_commit_everywhere():
    pins: dict[str, set[str]] = {}
    for path in workflow_files():
        for match in map(USES_LINE.match, path.read_text(encoding="utf-8").splitlines()):
            if match:
                name, _, sha = match.group("ref").partition("@")
                pins.setdefault(name, set()).add(sha + match.group("rest").strip())
    assert {name: shas for name, shas in pins.items() if len(shas) > 1} == {}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_checkout_does_not_persist_credentials(path):
    for job in load(path)["jobs"].values():
        for step in steps(job):
            if action(step) == "actions/checkout":
                assert (step.get("with") or {}).get("persist-credentials") is False


# --- test.yml ----------------------------------------------------------------------------------------

def test_ci_run_calls_make_test():
    lines = [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    assert "make test" in lines
    assert "export CI=true" in lines


def test_readme_documents_the_ci_test_command():
    if not README.exists():
        pytest.skip("no README.md yet")
    assert "make test" in README.read_text(encoding="utf-8")


def test_test_workflow_runs_make_test_like_ci():
    workflow = load(TEST_WF)
    on = triggers(workflow)
    assert "push" in on and "pull_request" in on
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in workflow["concurrency"]["group"]

    (job,) = workflow["jobs"].values()
    _, setup = find_step(job, "actions/setup-python")
    assert str(setup["with"]["python-version"]) == "3.11"
    install = next(i for i, s in enumerate(steps(job)) if "sudo apt-get install -y chromium" in run_lines(s))
    index, test = find_run(job, "make test")
    assert install < index
    assert run_lines(test) == ["make test"], "run exactly the README's command, as .ci/run does"
    assert str(test["env"]["CI"]).lower() == "true"


# --- deploy.yml --------------------------------------------------------------------------------------

DEFAULT_BRANCH_ONLY = "github.ref_name == github.event.repository.default_branch"


def test_deploy_runs_on_the_default_branch_whatever_its_name_and_by_hand():
    workflow = load(DEPLOY_WF)
    on = triggers(workflow)
    assert "workflow_dispatch" in on
    # no branch name written in: a push to any branch starts it, the jobs check the branch
    assert on["push"] in (None, {}, {"branches": ["**"]}), on["push"]
    assert "refs/heads/" not in DEPLOY_WF.read_text(encoding="utf-8")
    for name, job in workflow["jobs"].items():
        assert job.get("if") == DEFAULT_BRANCH_ONLY, f"job {name} must run on the default branch only"
    assert workflow["permissions"] in ({}, {"contents": "read"})


def test_deploys_wait_for_each_other_and_other_branches_never_replace_one():
    concurrency = load(DEPLOY_WF)["concurrency"]
    assert concurrency["cancel-in-progress"] is False
    assert concurrency["group"].startswith("pages") and "github.ref" in concurrency["group"]


def test_deploy_builds_the_site_for_the_pages_url():
    build = load(DEPLOY_WF)["jobs"]["build"]
    permissions = build.get("permissions") or {}
    assert permissions.get("pages") != "write" and "id-token" not in permissions, "build runs project code"

    checkout_at, checkout = find_step(build, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0, "SOURCE_DATE_EPOCH comes from the last commit"
    find_step(build, "actions/setup-python")
    chromium_at = next(i for i, s in enumerate(steps(build)) if "sudo apt-get install -y chromium" in run_lines(s))
    pages_at, pages = find_step(build, "actions/configure-pages")
    assert pages["id"] == "pages"
    site_at, site = find_run(build, "make site")
    assert site["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    upload_at, upload = find_step(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    assert checkout_at < chromium_at < site_at and pages_at < site_at < upload_at


def test_deploy_job_publishes_the_artifact():
    jobs = load(DEPLOY_WF)["jobs"]
    deploy = jobs["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    _, step = find_step(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % step["id"]
    assert not any(action(s) == "actions/checkout" for s in steps(deploy)), "the deploy job runs no project code"


def test_makefile_has_the_targets_the_workflows_call():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test:", makefile, re.M) and re.search(r"^site:", makefile, re.M)
