"""The pull-request and Pages workflows and the pre-commit config: they parse and run the commands the docs promise."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
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
    assert "build.py build --quiet --no-search --out site-old" in script
    assert "build.py diff site-old site-new --format markdown" in script
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    setup = next(s for s in steps(workflow, "check") if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    assert workflow["jobs"]["check"]["timeout-minutes"] > 0


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(folder: Path, message: str) -> str:
    git(folder, "add", "-A")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message)
    return git(folder, "rev-parse", "HEAD")


@pytest.mark.parametrize("base_builds", [True, False])
def test_the_base_branch_is_built_in_the_same_folder_and_the_pull_request_checked_out_again(
    tmp_path: Path, base_builds: bool
) -> None:
    """Run the step's own script in a scratch repository: the model cache is per folder, so the base is built here."""
    step = next(s for s in steps(load(WORKFLOWS / "check.yml"), "check") if s.get("name") == "Build the base branch")
    workspace = tmp_path / "workspace"
    shutil.copytree(REPO / "tests" / "sites" / "minimal", workspace)
    (workspace / "build.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom factpress.cli import main\nsys.exit(main())\n"
    )
    (workspace / ".gitignore").write_text(".venv/\nsite-old/\n")
    git(workspace, "init", "-q")
    claims = workspace / "claims.yaml"
    if not base_builds:
        claims.write_text(claims.read_text(encoding="utf-8").replace("verdict: true", "verdict: nonsense"))
    base = commit_all(workspace, "base")
    claims.write_text(claims.read_text(encoding="utf-8").replace("verdict: nonsense", "verdict: true") + "\n# edited\n")
    head = commit_all(workspace, "pull request")
    (workspace / ".venv" / "bin").mkdir(parents=True)
    python = workspace / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    cache = tmp_path / "cache"
    env = {**os.environ, "BASE_SHA": base, "GITHUB_SHA": head, "RUNNER_TEMP": str(tmp_path)}
    env["FACTPRESS_CACHE_DIR"] = str(cache)
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert git(workspace, "rev-parse", "HEAD") == head
    assert git(workspace, "status", "--porcelain", "--untracked-files=no") == ""
    built = sorted(p.name for p in (workspace / "site-old").iterdir())
    if base_builds:
        assert "index.html" in built and "claims" in built
        here = hashlib.sha256(str(workspace.resolve()).encode()).hexdigest()[:32]
        assert [p.name for p in (cache / "model").iterdir()] == [here]  # the folder the pull request is built in
    else:
        assert built == []
        assert "::warning::The base branch does not build" in done.stdout


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
