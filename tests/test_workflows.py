"""The pull-request and Pages workflows and the pre-commit config: they parse and run the commands the docs promise."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """`on:` is read by YAML 1.1 as true; GitHub reads it as the key 'on'."""
    return workflow.get("on", workflow.get(True))  # type: ignore[return-value]


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: dict[str, Any], job: str) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow, job))


def uses(workflow: dict[str, Any]) -> set[str]:
    return {step["uses"].split("@")[0] for job in workflow["jobs"] for step in steps(workflow, job) if "uses" in step}


def test_pull_request_workflow_checks_builds_and_reports_changes() -> None:
    workflow = load(WORKFLOWS / "check.yml")
    assert "pull_request" in triggers(workflow)
    script = runs(workflow, "check")
    assert "make install" in script
    assert "build.py check --format github" in script
    assert "build.py build --out site-new" in script
    assert "git worktree add" in script and '--out "$GITHUB_WORKSPACE/site-old"' in script
    assert "build.py diff site-old site-new --format markdown" in script
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    setup = next(s for s in steps(workflow, "check") if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    assert workflow["jobs"]["check"]["timeout-minutes"] > 0


def test_untrusted_pull_request_values_never_reach_a_shell_directly() -> None:
    """Values from the event go through env:, never `${{ }}` inside run: (script injection)."""
    for path in WORKFLOWS.glob("*.yml"):
        workflow = load(path)
        for job in workflow["jobs"]:
            for step in steps(workflow, job):
                assert "${{" not in step.get("run", ""), (path.name, step.get("name"))


def test_pages_workflow_deploys_with_the_official_actions() -> None:
    workflow = load(WORKFLOWS / "pages.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= uses(workflow)
    assert "build.py build --out site" in runs(workflow, "build")
    upload = next(s for s in steps(workflow, "build") if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_pre_commit_runs_check_and_ruff() -> None:
    config = load(REPO / ".pre-commit-config.yaml")
    repos = {repo["repo"]: repo for repo in config["repos"]}
    ruff = repos["https://github.com/astral-sh/ruff-pre-commit"]
    assert {hook["id"] for hook in ruff["hooks"]} == {"ruff", "ruff-format"}
    local = repos["local"]["hooks"]
    assert any("check" in hook["entry"] and hook["pass_filenames"] is False for hook in local)


def test_make_targets_used_by_ci_exist() -> None:
    for target in ("install", "check", "schemas", "serve"):
        result = subprocess.run(["make", "-n", target], cwd=REPO, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (target, result.stderr)
