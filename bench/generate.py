"""Synthetic site projects for the benchmark: thousands of realistic, valid fact-checks from a seed.

The same seed and size always give byte-identical files, so runs on different days compare. The
content exercises what real archives do: several claims files, sources whose snapshots are a few
KB of text with typographic quotes and dashes, excerpts copied from them (sometimes with straight
quotes or an ellipsis, which `check` must forgive), Markdown analyses citing `[text](#source-id)`,
corrections, related claims, partial claim dates and ids that YAML would read as booleans.

    python -m bench.generate 10000 /dev/shm/site-10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Bump when the generated content changes, so cached corpora are regenerated.
GENERATOR_VERSION = 1
SEED = 20251122


def word_list(text: str) -> list[str]:
    """The words of a multi-line literal, so long vocabularies stay readable."""
    return text.split()


WORDS = word_list("""
able account across action added administration affairs agency agreement aid air allies amount
analysis announced annual april army arrived assembly asked attack august authorities average
bank based began behalf believed benefits bill billion board border budget building business
cabinet campaign capital cases central century chairman changes charges chief children cities
claimed climate coalition coast committee community companies conference congress contract
control council country court crisis currency data deal debate december decision defence deficit
delegates department deputy development director district doctors documents domestic draft
during economy education effect election electricity emergency employment energy envoy europe
evidence exports families farmers february federal figures final finance foreign forces former
funding future gas general government governor growth health hospital households housing
imports income increase independent industry inflation interview investigation january july june
justice labour land large later leader legislation local major majority march measures media
meeting members migration military million minister ministry months national network november
number october office officials opposition order parliament party payments pension percent
period plan police policy population port poverty power president press prices prime private
programme project proposal prosecutors protest public quarter rates record reform region
released report reported research reserve response revenue rights rules rural safety salaries
schools science season secretary security senate september services share shortage social
spending spokesperson statement statistics strike study subsidies summit supply survey talks
taxes teachers territory trade transport treaty troops union university vaccine value veterans
villages vote voters wages water weeks workers year years youth
""")
FIRST = word_list("""Ada Amir Ana Bilal Carmen Chen Dara Elena Emeka Farah Goran Hana Ines Ivan Jamal Kai Lena
Lucia Mara Marek Nadia Noor Olga Omar Pavel Priya Rosa Sami Sara Tariq Vera Yusuf Zofia""")
LAST = word_list("""Abara Bauer Costa Dimitrov Eriksen Fischer Garcia Haddad Ivanova Jensen Kaya Lopez
Mendes Novak Okafor Petrov Quinn Rossi Santos Tanaka Umar Varga Weber Xu Yilmaz Zielinski""")
PUBLISHERS = """The Daily Ledger|Northern Herald|Coastal Times|The Civic Post|Metro Bulletin|
Valley Courier|The National Review Wire|Harbour Gazette|Capital Dispatch|Evening Chronicle|
Statistics Office|Central Bank Press Office|Parliamentary Record|Ministry of Health Briefings""".replace(
    "\n", ""
).split("|")
MEDIA = ("Television interview", "Press briefing", "Social media post", "Campaign rally", "Radio interview", "Op-ed")
TOPICS = """Economy|Health|Elections|Migration|Climate|Energy|Education|Crime|Housing|Defence|
Transport|Agriculture|Taxes|Pensions|Trade|Employment|Foreign policy|Media|Science|Justice|
Public spending|Local government|Water|Technology""".replace("\n", "").split("|")
VERDICTS = (
    ("true", "True", 5, "#1a7f37", "Accurate, and nothing significant is missing."),
    ("mostly-true", "Mostly true", 4, "#4d7c0f", "Accurate, but needs a clarification."),
    ("misleading", "Misleading", 3, "#8a5a00", "Contains accurate elements but leaves a false impression."),
    ("mostly-false", "Mostly false", 2, "#bc4c00", "Contains a grain of truth; the main point is contradicted."),
    ("false", "False", 1, "#cf222e", "Contradicted by the evidence."),
    ("unproven", "Unproven", None, "#57606a", "The evidence available cannot settle it either way."),
)
VERDICT_WEIGHTS = (12, 14, 20, 18, 26, 10)
FIRST_YEAR, LAST_YEAR = 2015, 2025


# -- YAML writing (by hand: fast for 50,000 claims, and laid out the way editors write it) -----------

_PLAIN_START = re.compile(r"[A-Za-z0-9(\u2018\u201c]")
_SPECIAL = re.compile(r"^([-+.0-9: ]*|true|false|yes|no|on|off|y|n|null|~)$", re.IGNORECASE)
#: Keys whose values are ids from verdicts.yaml, written plain as editors do (`verdict: false`).
VERDICT_KEYS = ("key", "verdict", "previous_verdict")


def scalar(text: str) -> str:
    """A YAML scalar for text: plain when YAML reads it back as the same string, else double-quoted."""
    plain = (
        _PLAIN_START.match(text)
        and not any(bad in text for bad in (": ", " #", "\n", "\t"))
        and not text.endswith(":")
        and not _SPECIAL.match(text)
        and text == text.strip()
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def literal_block(text: str, indent: str) -> str:
    """A `|` block scalar: the Markdown exactly as written, indented under its key."""
    lines = [indent + line if line else "" for line in text.rstrip("\n").split("\n")]
    return "|\n" + "\n".join(lines) + "\n"


def flow_ids(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


# -- text ---------------------------------------------------------------------------------------------


class Writer:
    """Random but deterministic prose built from a small newsroom vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, low: int, high: int) -> list[str]:
        return self.rng.choices(WORDS, k=self.rng.randint(low, high))

    def sentence(self, low: int = 9, high: int = 22) -> str:
        words = self.words(low, high)
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def snapshot_sentence(self) -> list[str]:
        """One sentence as tokens, with the curly quotes, apostrophes and dashes of real articles."""
        tokens = self.words(10, 22)
        tokens[0] = tokens[0].capitalize()
        roll = self.rng.random()
        if roll < 0.25:
            a = self.rng.randrange(1, len(tokens) - 3)
            tokens[a] = "\u201c" + tokens[a]
            tokens[a + 2] = tokens[a + 2] + "\u201d"
        elif roll < 0.4:
            a = self.rng.randrange(len(tokens))
            tokens[a] = tokens[a] + "\u2019s"
        elif roll < 0.5:
            tokens.insert(self.rng.randrange(2, len(tokens)), "\u2014")
        tokens[-1] += "."
        return tokens

    def title(self, low: int = 4, high: int = 9) -> str:
        words = self.words(low, high)
        return words[0].capitalize() + " " + " ".join(words[1:])


@dataclass
class Snapshot:
    """A source's archived text, kept as paragraphs of sentence tokens so excerpts can be cut from it."""

    title: str
    paragraphs: list[list[list[str]]]

    @property
    def text(self) -> str:
        body = "\n\n".join(" ".join(" ".join(s) for s in para) for para in self.paragraphs)
        return f"{self.title}\n\n{body}\n"


def make_snapshot(writer: Writer, title: str) -> Snapshot:
    count = writer.rng.randint(4, 8)
    return Snapshot(
        title, [[writer.snapshot_sentence() for _ in range(writer.rng.randint(3, 6))] for _ in range(count)]
    )


def cut_excerpt(rng: random.Random, snapshot: Snapshot) -> str:
    """Words copied from one paragraph; sometimes retyped with straight quotes, sometimes with an ellipsis."""
    para = rng.choice(snapshot.paragraphs)
    if len(para) > 1 and rng.random() < 0.15:
        first, second = sorted(rng.sample(range(len(para)), 2))
        pieces = [_fragment(rng, para[first], 5, 9), _fragment(rng, para[second], 5, 9)]
        text = rng.choice((" \u2026 ", " ... ", " [...] ")).join(pieces)
    else:
        text = _fragment(rng, rng.choice(para), 7, 16)
    if rng.random() < 0.3:  # retyped from the page: straight quotes and a hyphen for the dash
        text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2014", "-")
    return text


def _fragment(rng: random.Random, tokens: list[str], low: int, high: int) -> str:
    size = min(len(tokens), rng.randint(low, high))
    start = rng.randrange(0, len(tokens) - size + 1)
    text = " ".join(tokens[start : start + size])
    return text.strip("\u201c\u201d\u2014 .").rstrip(",") or tokens[start]


# -- the corpus ---------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """Everything one generated site project holds, before it is written out."""

    people: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, str]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    snapshots: dict[str, str] = field(default_factory=dict)
    claims: list[dict[str, Any]] = field(default_factory=list)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def random_date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def make_people(rng: random.Random, claims: int) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    people: list[dict[str, Any]] = []
    claimants: list[str] = []
    seen: set[str] = set()
    for index in range(max(10, claims // 40)):
        if index % 5 == 4:
            name = f"{rng.choice(TOPICS)} {rng.choice(('Party', 'Alliance', 'Institute', 'Union', 'Council'))}"
            kind = "organization"
        else:
            name, kind = f"{rng.choice(FIRST)} {rng.choice(LAST)}", "person"
        ident = slug(name)
        while ident in seen:
            ident = f"{slug(name)}-{len(seen)}"
        seen.add(ident)
        entry: dict[str, Any] = {"id": ident, "name": name, "kind": kind}
        role = rng.choice(("Member of parliament", "Regional governor", "Spokesperson", "Campaign group", "Minister"))
        entry["description"] = f"{role} for {rng.choice(TOPICS).lower()}."
        if rng.random() < 0.3:
            entry["same_as"] = [f"https://www.wikidata.org/wiki/Q{rng.randrange(10_000, 9_999_999)}"]
        people.append(entry)
        claimants.append(ident)
    checkers = []
    for index in range(8 + claims // 2000):
        ident = f"checker-{index + 1}"
        people.append({"id": ident, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "kind": "person",
                       "description": "Fact-checker on the desk."})  # fmt: skip
        checkers.append(ident)
    return people, claimants, checkers


def make_sources(rng: random.Random, writer: Writer, claims: int, corpus: Corpus) -> dict[str, Snapshot]:
    snapshots: dict[str, Snapshot] = {}
    for index in range(max(10, claims // 4)):
        publisher = rng.choice(PUBLISHERS)
        published = random_date(rng, rng.randint(FIRST_YEAR - 1, LAST_YEAR))
        title = writer.title()
        ident = f"{slug(publisher)}-{published.isoformat()}-{index}"
        path = f"snapshots/{index // 1000:03d}/{ident}.txt"
        snapshot = make_snapshot(writer, title)
        snapshots[ident] = snapshot
        corpus.snapshots[path] = snapshot.text
        entry: dict[str, Any] = {"id": ident, "title": title, "publisher": publisher, "published": published}
        if rng.random() < 0.85:
            entry["url"] = f"https://{slug(publisher)}.example.com/{published.year}/{slug(title)[:60]}"
        entry["snapshot"] = path
        entry["archived"] = published + dt.timedelta(days=rng.randint(0, 30))
        corpus.sources.append(entry)
    return snapshots


def make_analysis(rng: random.Random, writer: Writer, cited: list[tuple[str, str]]) -> str:
    """Markdown paragraphs that cite every evidence source at least once, with the odd list or heading."""
    paragraphs: list[str] = []
    for index in range(rng.randint(3, 6)):
        sentences = [writer.sentence() for _ in range(rng.randint(2, 5))]
        if index < len(cited) or rng.random() < 0.4:
            ident, name = cited[index % len(cited)]
            at = rng.randrange(len(sentences))
            sentences[at] = sentences[at][:-1] + f" ([{name}](#{ident}))."
        if rng.random() < 0.3:
            at = rng.randrange(len(sentences))
            words = sentences[at].split()
            pos = rng.randrange(len(words))
            words[pos] = f"*{words[pos].rstrip('.')}*" + ("." if words[pos].endswith(".") else "")
            sentences[at] = " ".join(words)
        paragraphs.append(_wrap(" ".join(sentences)))
        if rng.random() < 0.12:
            paragraphs.append("\n".join(f"- {writer.sentence(4, 9)}" for _ in range(rng.randint(2, 4))))
        if index == 1 and rng.random() < 0.2:
            paragraphs.append(f"## {writer.title(2, 4)}")
    return "\n\n".join(paragraphs) + "\n"


def _wrap(text: str, width: int = 90) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def make_claim(
    rng: random.Random, writer: Writer, index: int, corpus: Corpus, snapshots: dict[str, Snapshot], ctx: dict[str, Any]
) -> dict[str, Any]:
    year = FIRST_YEAR + index * (LAST_YEAR - FIRST_YEAR + 1) // ctx["total"]
    published = random_date(rng, year)
    text = writer.sentence(6, 11)
    while len(text) > 72:
        text = " ".join(text.split()[:-1]).rstrip(".") + "."
    ident = f"{'-'.join(slug(w) for w in text.rstrip('.').split()[:4])}-{index + 1}"
    claim_day = published - dt.timedelta(days=rng.randint(1, 40))
    roll = rng.random()
    claim_date: Any = claim_day if roll < 0.8 else (f"{claim_day:%Y-%m}" if roll < 0.93 else str(claim_day.year))
    appearances = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        appearance: dict[str, Any] = {
            "url": f"https://video.example.net/{claim_day.year}/{rng.randrange(10**6, 10**7)}",
            "title": writer.title(3, 7),
            "medium": rng.choice(MEDIA),
        }
        if rng.random() < 0.6:
            appearance["date"] = claim_day
        appearances.append(appearance)
    window = corpus.sources[max(0, index // 4 - 40) : index // 4 + 40] or corpus.sources
    chosen = rng.sample(window, k=min(len(window), rng.randint(1, 3)))
    evidence = [
        {
            "source": source["id"],
            "excerpt": cut_excerpt(rng, snapshots[source["id"]]),
            "note": writer.sentence(6, 14),
        }
        for source in chosen
    ]
    verdict = rng.choices([v[0] for v in VERDICTS], weights=VERDICT_WEIGHTS)[0]
    claim: dict[str, Any] = {
        "id": ident,
        "claim": text,
        "claimant": ctx["claimants"][min(int(rng.paretovariate(1.2)) - 1, len(ctx["claimants"]) - 1)]
        if rng.random() < 0.5
        else rng.choice(ctx["claimants"]),
        "claim_date": claim_date,
        "appearances": appearances,
        "verdict": verdict,
        "summary": " ".join(writer.sentence() for _ in range(rng.randint(1, 2))),
        "analysis": make_analysis(rng, writer, [(s["id"], s["publisher"]) for s in chosen]),
        "evidence": evidence,
        "topics": sorted(rng.sample(ctx["topics"], k=rng.randint(1, 3))),
        "authors": sorted(rng.sample(ctx["checkers"], k=rng.choice((1, 1, 2)))),
        "published": published,
    }
    if rng.random() < 0.15:
        claim["updated"] = published + dt.timedelta(days=rng.randint(1, 200))
    if rng.random() < 0.08:
        correction: dict[str, Any] = {
            "date": published + dt.timedelta(days=rng.randint(1, 90)),
            "note": writer.sentence(6, 14),
        }
        if rng.random() < 0.4:
            correction["previous_verdict"] = rng.choice([v[0] for v in VERDICTS if v[0] != verdict])
        claim["corrections"] = [correction]
    if index > 10 and rng.random() < 0.1:
        claim["related"] = sorted({corpus.claims[rng.randrange(max(0, index - 200), index)]["id"] for _ in range(2)})
    return claim


def make_corpus(claims: int, seed: int = SEED) -> Corpus:
    """The whole synthetic archive: people, topics, sources with snapshots, and `claims` fact-checks."""
    rng = random.Random(f"{seed}-{claims}")
    writer = Writer(rng)
    corpus = Corpus()
    corpus.people, claimants, checkers = make_people(rng, claims)
    corpus.topics = [
        {"id": slug(name), "name": name, "description": f"Fact-checks about {name.lower()}."} for name in TOPICS
    ]
    snapshots = make_sources(rng, writer, claims, corpus)
    ctx = {"total": claims, "claimants": claimants, "checkers": checkers, "topics": [t["id"] for t in corpus.topics]}
    for index in range(claims):
        corpus.claims.append(make_claim(rng, writer, index, corpus, snapshots, ctx))
    return corpus


# -- writing the project ------------------------------------------------------------------------------


def yaml_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return (
            flow_ids(value)
            if all(isinstance(v, str) and re.fullmatch(r"[a-z0-9-]+", v) for v in value)
            else ("[" + ", ".join(scalar(v) for v in value) + "]")
        )
    return scalar(str(value))


def yaml_entry(entry: dict[str, Any], indent: str = "") -> str:
    """One mapping as a block list item; nested lists of mappings as block lists, Markdown as `|`."""
    lines: list[str] = []
    for number, (key, value) in enumerate(entry.items()):
        lead = f"{indent}- " if number == 0 else f"{indent}  "
        if key == "analysis":
            lines.append(f"{lead}{key}: " + literal_block(value, indent + "    ").rstrip("\n"))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{lead}{key}:")
            lines.extend(yaml_entry(item, indent + "    ").rstrip("\n") for item in value)
        elif key in VERDICT_KEYS:
            lines.append(f"{lead}{key}: {value}")
        elif key == "claim_date" and isinstance(value, str):
            lines.append(f"{lead}{key}: '{value}'")
        else:
            lines.append(f"{lead}{key}: {yaml_value(value)}")
    return "\n".join(lines) + "\n"


def yaml_list(entries: list[dict[str, Any]], header: str) -> str:
    return header + "".join(yaml_entry(e) for e in entries)


def verdicts_yaml() -> str:
    lines = ["# The rating scale, best first.\n"]
    for key, label, rating, colour, meaning in VERDICTS:
        lines.append(f"- key: {key}\n  label: {json.dumps(label)}\n")  # `key: true` stays the id 'true'
        if rating is not None:
            lines.append(f"  rating: {rating}\n")
        lines.append(f'  colour: "{colour}"\n  meaning: {scalar(meaning)}\n')
    return "".join(lines)


SITE_YAML = """title: The Benchmark Fact Check
base_url: https://bench.example.org/
language: en
description: A synthetic archive of {claims:,} fact-checks, generated for factpress's benchmark.
publisher:
  name: The Benchmark Fact Check
  url: https://bench.example.org/
  logo: /static/logo.svg
"""

PAGES = {
    "about": ("About us", 1, "Who we are and how to reach us."),
    "methodology": ("How we fact-check", 2, "How claims are chosen, researched and rated."),
    "corrections-policy": ("Corrections policy", 3, "How we correct mistakes."),
}


def page_markdown(rng: random.Random, writer: Writer, title: str, nav: int, description: str) -> str:
    body = "\n\n".join(_wrap(" ".join(writer.sentence() for _ in range(4))) for _ in range(5))
    return f"---\ntitle: {title}\ndescription: {description}\nnav: {nav}\n---\n\n{body}\n"


def write_project(corpus: Corpus, root: Path, claims: int) -> None:
    """Write the corpus as a site project: content/*.yaml, content/claims/<year>.yaml, snapshots, pages."""
    content = root / "content"
    (content / "claims").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "site.yaml").write_text(SITE_YAML.format(claims=claims))
    (content / "verdicts.yaml").write_text(verdicts_yaml())
    (content / "people.yaml").write_text(yaml_list(corpus.people, "# Claimants and fact-checkers.\n"))
    (content / "topics.yaml").write_text(yaml_list(corpus.topics, "# Topics.\n"))
    (content / "sources.yaml").write_text(yaml_list(corpus.sources, "# Sources, each with its archived text.\n"))
    for path, text in corpus.snapshots.items():
        target = content / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    by_year: dict[int, list[dict[str, Any]]] = {}
    for claim in corpus.claims:
        by_year.setdefault(claim["published"].year, []).append(claim)
    for year, entries in sorted(by_year.items()):
        (content / "claims" / f"{year}.yaml").write_text(yaml_list(entries, f"# Fact-checks published in {year}.\n"))
    rng = random.Random(f"pages-{claims}")
    writer = Writer(rng)
    for name, (title, nav, description) in PAGES.items():
        (content / "pages" / f"{name}.md").write_text(page_markdown(rng, writer, title, nav, description))
    (root / "static").mkdir()
    (root / "static" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'
    )


def generate_site(root: Path, claims: int, seed: int = SEED) -> Path:
    """Generate a site project of `claims` fact-checks into root (replacing it); return root."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    write_project(make_corpus(claims, seed), root, claims)
    (root / ".bench-generator").write_text(f"{GENERATOR_VERSION} {seed} {claims}\n")
    return root


def is_current(root: Path, claims: int, seed: int = SEED) -> bool:
    """True when root already holds this generator version's corpus of this size and seed."""
    stamp = root / ".bench-generator"
    return stamp.is_file() and stamp.read_text() == f"{GENERATOR_VERSION} {seed} {claims}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic factpress site project.")
    parser.add_argument("claims", type=int, help="how many fact-checks")
    parser.add_argument("root", type=Path, help="the folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generate_site(args.root, args.claims, args.seed)


if __name__ == "__main__":
    main()
