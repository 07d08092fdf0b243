#!/usr/bin/env python3
"""The real-text evaluation set: rebuild its git-ignored cache of texts, check it, lay out dev/test.

Third-party texts are never committed. What is committed (``eval/real/``):
  sources.jsonl      one line per document: doc, url, query, published, kind, split, sha256, chars
  dev.gold.jsonl     gold mentions of the dev split (tune on it freely)
  test.gold.jsonl    gold mentions of the test split (score it rarely; record every score in scores.md)

The texts live in ``eval/real/cache/docs/`` (git-ignored). This script:
  status             which cached texts are present and match their sha256
  import FILE...     add texts from saved search results (JSON with "results": [{"url", "excerpt"}] or
                     JSON Lines of {"url", "excerpt"}, or a folder of one file per excerpt: the text, or a
                     .json string literal); a text is kept only if its sha256 matches
  tasks              the missing texts' queries in batches (test first) for re-running the searches
  fetch              (online) download each missing URL and extract its main text with trafilatura;
                     a text whose sha256 differs is kept under docs-unverified/ and reported
  backup / restore   copy the cache to / from a folder outside the work tree (default ~/.cache/amu/eval-real)
  layout             write eval/real/cache/{dev,test}/ with each split's texts and a meta.jsonl
  merge DIR...       (maintainers) merge annotation batches into sources.jsonl and the split gold files
  extend DIR...      (maintainers) add later batches to the dev split without touching the test split:
                     a new document that reports an incident (directly or through other new documents)
                     that a test document reports is set aside, so that test stays exactly as scored before

After `layout`:  amu eval eval/real/dev.gold.jsonl eval/real/cache/dev

`--set real-ru` works on the Russian set in ``eval/real-ru/`` the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

from amu.resolve.disjoint import DisjointSets

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "eval" / "real"
CACHE = REAL / "cache"
DOCS = CACHE / "docs"
BACKUP = Path.home() / ".cache" / "amu" / "eval-real"
TEST_SHARE = 0.4


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def sources() -> list[dict]:
    rows = read_jsonl(REAL / "sources.jsonl")
    if not rows:
        sys.exit(f"no {REAL / 'sources.jsonl'}: nothing to rebuild")
    return rows


def status(_: argparse.Namespace) -> int:
    ok = missing = bad = 0
    for s in sources():
        p = DOCS / s["doc"]
        if not p.exists():
            missing += 1
            print(f"missing   {s['doc']}  {s['url']}")
        elif sha(p.read_text(encoding="utf-8")) != s["sha256"]:
            bad += 1
            print(f"changed   {s['doc']}  {s['url']}")
        else:
            ok += 1
    print(f"{ok} texts present and verified, {missing} missing, {bad} changed")
    return 0 if not missing and not bad else 1


def _variants(text: str) -> list[str]:
    """A transcribed excerpt as written, and with the line ends a copy by hand most often gets wrong."""
    return list(dict.fromkeys([text, text.rstrip("\n"), text + "\n", text.rstrip("\n") + "\n", text.strip("\n")]))


def _results(path: Path) -> list[dict]:
    if path.is_dir():   # one file per excerpt: its text, or (name ending .json) a JSON string literal
        out = []
        for f in sorted(path.iterdir()):
            raw = f.read_text(encoding="utf-8")
            text = json.loads(raw) if f.suffix == ".json" else raw
            out += [{"excerpt": t} for t in _variants(text if isinstance(text, str) else text.get("excerpt", ""))]
        return out
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return data.get("results", []) if isinstance(data, dict) else data


def import_(a: argparse.Namespace) -> int:
    by_sha = {s["sha256"]: s for s in sources()}
    DOCS.mkdir(parents=True, exist_ok=True)
    added = 0
    for f in a.files:
        for r in _results(Path(f)):
            text = r.get("excerpt") or r.get("text") or ""
            s = by_sha.get(sha(text))
            if s is not None and not (DOCS / s["doc"]).exists():
                (DOCS / s["doc"]).write_text(text, encoding="utf-8")
                added += 1
    print(f"{added} texts added")
    return status(a)


def tasks(a: argparse.Namespace) -> int:
    """Split the missing texts' queries into batches (JSON Lines: query, wanted docs with url, rank, chars),
    test documents first, for people re-running the searches in parallel."""
    wanted: dict[str, list[dict]] = defaultdict(list)
    for s in sources():
        if not (DOCS / s["doc"]).exists():
            wanted[s["query"]].append(s)
    queue = sorted(wanted.items(), key=lambda kv: (all(s["split"] != "test" for s in kv[1]),
                                                    -sum(s["chars"] for s in kv[1])))
    out = Path(a.out) if a.out else CACHE / "tasks"
    out.mkdir(parents=True, exist_ok=True)
    load = [0] * a.batches
    lines: list[list[dict]] = [[] for _ in range(a.batches)]
    for query, docs in queue:
        k = load.index(min(load))
        load[k] += sum(s["chars"] for s in docs)
        lines[k].append({"query": query, "test": any(s["split"] == "test" for s in docs),
                         "docs": [{k2: s[k2] for k2 in ("doc", "url", "rank", "chars")} for s in docs]})
    for k, rows in enumerate(lines, 1):
        write_jsonl(out / f"batch{k}.jsonl", rows)
    print(f"{sum(len(v) for v in wanted.values())} missing texts, {len(wanted)} queries, {a.batches} batches in {out}")
    return 0


def fetch(a: argparse.Namespace) -> int:
    import urllib.request

    import trafilatura

    unverified = CACHE / "docs-unverified"
    for s in sources():
        if (DOCS / s["doc"]).exists():
            continue
        try:
            with urllib.request.urlopen(s["url"], timeout=30) as resp:  # noqa: S310 (URLs from sources.jsonl)
                html = resp.read().decode("utf-8", "replace")
        except Exception as e:  # noqa: BLE001 (report and go on)
            print(f"unreachable {s['doc']}: {e}")
            continue
        text = (trafilatura.extract(html) or "")[: s["chars"]]
        if sha(text) == s["sha256"]:
            DOCS.mkdir(parents=True, exist_ok=True)
            (DOCS / s["doc"]).write_text(text, encoding="utf-8")
        else:
            unverified.mkdir(parents=True, exist_ok=True)
            (unverified / s["doc"]).write_text(text, encoding="utf-8")
            print(f"unverified {s['doc']}: the page changed or extracts differently; gold offsets may not fit")
    return status(a)


def backup(a: argparse.Namespace) -> int:
    dest = Path(a.dir)
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for p in DOCS.glob("*.txt"):
        shutil.copy2(p, dest / p.name)
        n += 1
    print(f"{n} texts copied to {dest}")
    return 0


def restore(a: argparse.Namespace) -> int:
    src = Path(a.dir)
    DOCS.mkdir(parents=True, exist_ok=True)
    n = 0
    for s in sources():
        p = src / s["doc"]
        if p.exists() and not (DOCS / s["doc"]).exists() and sha(p.read_text(encoding="utf-8")) == s["sha256"]:
            shutil.copy2(p, DOCS / s["doc"])
            n += 1
    print(f"{n} texts restored from {src}")
    return status(a)


def layout(_: argparse.Namespace) -> int:
    rows = sources()
    for split in ("dev", "test"):
        folder = CACHE / split
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        meta = []
        for s in rows:
            if s["split"] != split or not (DOCS / s["doc"]).exists():
                continue
            shutil.copy2(DOCS / s["doc"], folder / s["doc"])
            m = {"doc": s["doc"], "url": s["url"]}
            if s.get("published"):
                m["published"] = s["published"]
            meta.append(m)
        write_jsonl(folder / "meta.jsonl", meta)
        print(f"{split}: {len(meta)} documents in {folder}")
    return 0


def _components(gold: list[dict], docs: list[str]) -> list[set[str]]:
    """Documents linked by a shared incident end up in one component (one split)."""
    sets = DisjointSets(docs)
    by_incident: dict[str, list[str]] = defaultdict(list)
    for g in gold:
        if g["doc"] in sets:
            by_incident[g["incident"]].append(g["doc"])
    for ds in by_incident.values():
        for d in ds[1:]:
            sets.union(ds[0], d)
    return sets.groups()


SOURCE_KEYS = ("doc", "url", "query", "rank", "published", "published_from", "kind", "split", "sha256", "chars")


def _batches(dirs: list[str]) -> tuple[list[dict], list[dict]]:
    """The sources and gold lines of annotation batch folders."""
    src: list[dict] = []
    gold: list[dict] = []
    for d in dirs:
        src += read_jsonl(Path(d) / "sources.jsonl")
        gold += read_jsonl(Path(d) / "gold.jsonl")
    return src, gold


def _check_spans(gold: list[dict]) -> None:
    """Stop unless every gold evidence span fits its cached text."""
    for g in gold:
        text = (DOCS / g["doc"]).read_text(encoding="utf-8")
        ev = g.get("evidence") or {}
        if text[ev.get("start", 0):ev.get("end", 0)] != ev.get("text"):
            sys.exit(f"evidence span does not fit: {g['doc']} {g['incident']}")


def _spans_only(gold: list[dict]) -> None:
    """The evidence sentence is third-party text: only its span is committed."""
    for g in gold:
        g["evidence"] = {"start": g["evidence"]["start"], "end": g["evidence"]["end"]}


def merge(a: argparse.Namespace) -> int:
    src, gold = _batches(a.dirs)
    seen_urls: set[str] = set()
    rows = []
    for s in src:
        text = (DOCS / s["doc"]).read_text(encoding="utf-8")
        if sha(text) != s["sha256"] or s["url"] in seen_urls:
            print(f"skipped {s['doc']}: {'sha256 differs' if sha(text) != s['sha256'] else 'duplicate URL'}")
            continue
        seen_urls.add(s["url"])
        rows.append(s)
    docs = [s["doc"] for s in rows]
    _check_spans(gold)
    split_of: dict[str, str] = {}
    for comp in _components(gold, docs):
        key = min(comp)
        h = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        for d in comp:
            split_of[d] = "test" if h < TEST_SHARE else "dev"
    for s in rows:
        s["split"] = split_of[s["doc"]]
    write_jsonl(REAL / "sources.jsonl", [{k: s.get(k) for k in SOURCE_KEYS} for s in rows])
    _spans_only(gold)
    for split in ("dev", "test"):
        write_jsonl(REAL / f"{split}.gold.jsonl", [g for g in gold if split_of.get(g["doc"]) == split])
    for split in ("dev", "test"):
        part = [s for s in rows if s["split"] == split]
        print(f"{split}: {len(part)} documents ({sum(s['kind'] == 'distractor' for s in part)} distractors), "
              f"{sum(1 for g in gold if split_of.get(g['doc']) == split and not g.get('optional'))} required mentions")
    return 0


def extend(a: argparse.Namespace) -> int:
    rows = sources()
    dev_gold, test_gold = read_jsonl(REAL / "dev.gold.jsonl"), read_jsonl(REAL / "test.gold.jsonl")
    known_urls = {s["url"] for s in rows}
    known_docs = {s["doc"] for s in rows}
    src, gold = _batches(a.dirs)
    new: list[dict] = []
    for s in src:
        text = (DOCS / s["doc"]).read_text(encoding="utf-8")
        why = ("sha256 differs" if sha(text) != s["sha256"] else "URL already in the set" if s["url"] in known_urls
               else "name already in the set" if s["doc"] in known_docs else None)
        if why:
            print(f"skipped {s['doc']}: {why}")
            continue
        known_urls.add(s["url"])
        new.append(s)
    names = {s["doc"] for s in new}
    gold = [g for g in gold if g["doc"] in names]
    _check_spans(gold)
    # Only what a document reports links it (required lines); a passing reference (optional) does not.
    test_incidents = {g["incident"] for g in test_gold if not g.get("optional")}
    reported = [g for g in gold if not g.get("optional")]
    aside: set[str] = set()
    for comp in _components(reported, sorted(names)):
        if any(g["incident"] in test_incidents for g in reported if g["doc"] in comp):
            aside |= comp
    for d in sorted(aside):
        print(f"set aside {d}: shares an incident with the test split")
    added = [s for s in new if s["doc"] not in aside]
    for s in added:
        s["split"] = "dev"
    write_jsonl(REAL / "sources.jsonl", rows + [{k: s.get(k) for k in SOURCE_KEYS} for s in added])
    kept = [g for g in gold if g["doc"] not in aside]
    _spans_only(kept)
    write_jsonl(REAL / "dev.gold.jsonl", dev_gold + kept)
    print(f"dev: {len(added)} documents added ({sum(s['kind'] == 'distractor' for s in added)} distractors), "
          f"{sum(1 for g in kept if not g.get('optional'))} required mentions; {len(aside)} set aside")
    return 0


def use_set(name: str) -> None:
    """Work on another real-text set of the same layout: ``real`` (English) or ``real-ru`` (Russian)."""
    global REAL, CACHE, DOCS, BACKUP
    REAL = ROOT / "eval" / name
    CACHE = REAL / "cache"
    DOCS = CACHE / "docs"
    BACKUP = Path.home() / ".cache" / "amu" / f"eval-{name}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="real", choices=("real", "real-ru"),
                    help="which set: eval/real (English, default) or eval/real-ru (Russian)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("status").set_defaults(fn=status)
    p = sub.add_parser("import")
    p.add_argument("files", nargs="+")
    p.set_defaults(fn=import_)
    sub.add_parser("fetch").set_defaults(fn=fetch)
    p = sub.add_parser("tasks")
    p.add_argument("--batches", type=int, default=6)
    p.add_argument("-o", "--out", help="folder for the batches (default: the cache's tasks/)")
    p.set_defaults(fn=tasks)
    for name, fn in (("backup", backup), ("restore", restore)):
        p = sub.add_parser(name)
        p.add_argument("--dir", default=str(BACKUP))
        p.set_defaults(fn=fn)
    sub.add_parser("layout").set_defaults(fn=layout)
    p = sub.add_parser("merge")
    p.add_argument("dirs", nargs="+")
    p.set_defaults(fn=merge)
    p = sub.add_parser("extend")
    p.add_argument("dirs", nargs="+")
    p.set_defaults(fn=extend)
    a = ap.parse_args()
    use_set(a.set)
    if a.cmd == "backup" and a.dir == str(Path.home() / ".cache" / "amu" / "eval-real"):
        a.dir = str(BACKUP)
    if a.cmd == "restore" and a.dir == str(Path.home() / ".cache" / "amu" / "eval-real"):
        a.dir = str(BACKUP)
    return int(a.fn(a))


if __name__ == "__main__":
    sys.exit(main())
