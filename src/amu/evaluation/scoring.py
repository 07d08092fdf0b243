"""Scoring extracted mentions against gold, in the interchange format.

The rules are those of the project's referee (``shared/eval/score.py``), so that ``amu eval``
prints the same figures: mentions are matched per document (event families must agree, date and
country must not contradict, best pairs first), field accuracy is computed over matched required
pairs, and grouping is the pairwise F1 of "same incident" over matched mentions. Name tables
live in ``data/eval_names.json``. Added here, beyond the referee: distractor documents (in the
corpus, with no required gold line) and how many of them came out clean.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable

from amu.errors import AmuError

Row = dict[str, Any]
FIELDS = ("event_type", "attack_type", "date", "country", "location", "perpetrator", "killed", "wounded",
          "arrested", "perpetrator_nationality")


@dataclass(frozen=True)
class _Names:
    groups: dict[str, list[str]]
    family_of_group: dict[str, str]
    places: list[list[str]]
    families: dict[str, str]
    near_km: float


@lru_cache(maxsize=1)
def _names() -> _Names:
    raw = json.loads(resources.files("amu.data").joinpath("eval_names.json").read_text(encoding="utf-8"))
    return _Names(raw["groups"], raw["family_of_group"], raw["places"], raw["event_families"], float(raw["near_km"]))


def norm(s: object) -> str:
    text = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", re.sub(r"[’'`]", "", text)).strip()


def group_of(name: str | None) -> str | None:
    if not name:
        return None
    n = norm(name)
    for canon, aliases in _names().groups.items():
        if n == norm(canon) or n in aliases:
            return canon
    return n


def place_key(name: str | None) -> str | None:
    if not name:
        return None
    n = norm(name)
    for aliases in _names().places:
        if n in aliases:
            return aliases[0]
    return n


def _coords(r: Row) -> tuple[float, float] | None:
    try:
        lat, lon = float(r["lat"]), float(r["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def place_ok(g: Row, p: Row) -> bool:
    want = {place_key(x) for x in [g.get("location"), *g.get("alt_locations", [])] if x}
    if place_key(p.get("location")) in want:
        return True
    gc, pc = _coords(g), _coords(p)
    return bool(gc and pc and km(gc, pc) <= _names().near_km)


def date_ok(gold: str | None, pred: str | None, alts: Iterable[str] = ()) -> bool:
    return bool(pred) and any(g and pred[:len(g)] == g and len(pred) >= len(g) for g in (gold, *alts))  # type: ignore[index]


def _date_compatible(g: str | None, p: str | None, alts: Iterable[str] = ()) -> bool:
    if not g or not p:
        return True
    return any(a[:min(len(a), len(p))] == p[:min(len(a), len(p))] for a in (g, *alts) if a)


def _as_range(v: Any) -> tuple[int | None, int | None] | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return (int(v), int(v))
    if isinstance(v, dict):
        lo, hi = v.get("min"), v.get("max")
        return (int(lo) if lo is not None else None, int(hi) if hi is not None else None)
    return None


def count_ok(g: Any, p: Any) -> bool | None:
    gr, pr = _as_range(g), _as_range(p)
    if gr is None:
        return None
    if pr is None:
        return False
    if gr[0] == gr[1]:
        return pr == gr
    lo_ok = gr[0] is None or (pr[0] is not None and gr[0] - 1 <= pr[0] <= gr[0])
    hi_ok = gr[1] == pr[1] or gr[1] is None
    return lo_ok and hi_ok


def _types(g: Row) -> list[str]:
    return [g["event_type"], *g.get("alt_event_types", [])]


def _pair_score(g: Row, p: Row) -> float | None:
    fam = _names().families
    if fam.get(p.get("event_type", "")) not in {fam.get(t) for t in _types(g)}:
        return None
    alts = g.get("alt_dates", [])
    if not _date_compatible(g.get("date"), p.get("date"), alts):
        return None
    if g.get("country") and p.get("country") and g["country"] != p["country"]:
        return None
    s = 1.0 + (1.0 if p.get("event_type") in _types(g) else 0.5)
    if g.get("date") and p.get("date"):
        s += 1.0 if date_ok(g.get("date"), p.get("date"), alts) else 0.5
    if g.get("country") and p.get("country"):
        s += 1.0
    if place_key(g.get("location")) and place_key(p.get("location")):
        s += 1.5 if place_ok(g, p) else -0.5
    for k in ("killed", "arrested"):
        if count_ok(g.get(k), p.get(k)):
            s += 0.5
    return s


def match_doc(golds: list[Row], preds: list[Row]) -> list[tuple[int, int]]:
    """Greedy best-first matching of one document's gold and predicted mentions."""
    cands = [(s, i, j) for i, g in enumerate(golds) for j, p in enumerate(preds)
             if (s := _pair_score(g, p)) is not None]
    cands.sort(key=lambda t: -t[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def _field_checks(g: Row, p: Row) -> dict[str, bool | None]:
    fam = _names().family_of_group
    out: dict[str, bool | None] = {"event_type": p.get("event_type") in _types(g)}
    if g.get("attack_type"):
        out["attack_type"] = g["attack_type"] == p.get("attack_type")
    if g.get("date"):
        out["date"] = date_ok(g["date"], p.get("date"), g.get("alt_dates", []))
    if g.get("country"):
        out["country"] = g["country"] == p.get("country")
    if g.get("location"):
        out["location"] = place_ok(g, p)
    if g.get("perpetrator"):
        gg, pg = group_of(g["perpetrator"]), group_of(p.get("perpetrator"))
        # As the referee: a different group counts as wrong only when the gold's group has a family
        # in the name table (ISKP, IS, Taliban); otherwise the pair is not scored on this field.
        family = fam.get(gg or "")
        out["perpetrator"] = True if gg == pg else (family == fam.get(pg or "")) if family else None
    for k in ("killed", "wounded", "arrested"):
        out[k] = count_ok(g.get(k), p.get(k))
    if g.get("perpetrator_nationality"):
        out["perpetrator_nationality"] = set(g["perpetrator_nationality"]) <= set(p.get("perpetrator_nationality") or [])
    return out


@dataclass
class Report:
    """Everything one scoring run measured."""

    mentions: dict[str, Any]
    fields: dict[str, dict[str, Any]]
    grouping: dict[str, Any]
    distractors: dict[str, Any] = field(default_factory=dict)
    unknown_docs: list[str] = field(default_factory=list)
    missed: list[Row] = field(default_factory=list)
    spurious: list[Row] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": self.mentions, "fields": self.fields, "grouping": self.grouping,
                "distractors": self.distractors, "unknown_docs": self.unknown_docs,
                "missed": self.missed, "spurious": self.spurious, "wrong": self.wrong}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def score(gold: list[Row], pred: list[Row], corpus_docs: Iterable[str] = ()) -> Report:
    """Score predictions against gold. ``corpus_docs``: every document name that was read, so that
    documents without a required gold line (distractors) can be checked for false alarms."""
    docs = sorted({g["doc"] for g in gold})
    gold_by: dict[str, list[Row]] = {}
    pred_by: dict[str, list[Row]] = {}
    for g in gold:
        gold_by.setdefault(g["doc"], []).append(g)
    for p in pred:
        pred_by.setdefault(p.get("doc", ""), []).append(p)
    tp = fp = fn = 0
    counts = {k: [0, 0] for k in FIELDS}
    matched: list[tuple[Row, Row]] = []
    missed: list[Row] = []
    spurious: list[Row] = []
    wrong: list[dict[str, Any]] = []
    for d in docs:
        gs, ps = gold_by.get(d, []), pred_by.get(d, [])
        pairs = match_doc(gs, ps)
        mg, mp = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, j in pairs:
            if not gs[i].get("optional"):
                tp += 1
                matched.append((gs[i], ps[j]))
        here_fn = [g for i, g in enumerate(gs) if i not in mg and not g.get("optional")]
        here_fp = [p for j, p in enumerate(ps) if j not in mp]
        fn += len(here_fn)
        fp += len(here_fp)
        missed += here_fn
        spurious += here_fp
    for g, p in matched:
        checks = _field_checks(g, p)
        for k, ok in checks.items():
            if ok is not None:
                counts[k][0] += int(ok)
                counts[k][1] += 1
        bad = sorted(k for k, ok in checks.items() if ok is False)
        if checks.get("perpetrator") is None and g.get("perpetrator") and \
                group_of(g["perpetrator"]) != group_of(p.get("perpetrator")):
            bad.append("perpetrator(unscored)")
        if bad:
            wrong.append({"doc": g["doc"], "incident": g.get("incident"), "fields": bad,
                          "gold": {k: g.get(k.split("(")[0]) for k in bad},
                          "pred": {k: p.get(k.split("(")[0]) for k in bad}})
    gpairs = ppairs = both = 0
    for (g1, p1), (g2, p2) in combinations(matched, 2):
        same_g = g1["incident"] == g2["incident"]
        same_p = p1.get("incident") is not None and p1.get("incident") == p2.get("incident")
        gpairs += same_g
        ppairs += same_p
        both += same_g and same_p
    prec, rec = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
    gp, gr = (both / ppairs if ppairs else 0.0), (both / gpairs if gpairs else 0.0)
    required = {g["doc"] for g in gold if not g.get("optional")}
    quiet = sorted(set(corpus_docs) - required)
    clean = [d for d in quiet if not pred_by.get(d)]
    lenient = [d for d in quiet if not [p for j, p in enumerate(pred_by.get(d, []))
                                          if j not in {jj for _, jj in match_doc(gold_by.get(d, []), pred_by.get(d, []))}]]
    return Report(
        mentions={"tp": tp, "fp": fp, "fn": fn, "precision": round(prec, 4), "recall": round(rec, 4),
                  "f1": _f1(prec, rec)},
        fields={k: {"correct": c, "scored": n, "accuracy": _ratio(c, n) if n else None} for k, (c, n) in counts.items()},
        grouping={"gold_pairs": gpairs, "pred_pairs": ppairs, "agree": both, "precision": round(gp, 4),
                  "recall": round(gr, 4), "f1": _f1(gp, gr)},
        distractors={"documents": len(quiet), "no_mention": len(clean), "share_no_mention": _ratio(len(clean), len(quiet)),
                     "only_optional": len(lenient), "flagged": [d for d in quiet if d not in clean]},
        unknown_docs=sorted(set(pred_by) - set(docs) - set(quiet)),
        missed=[{k: g.get(k) for k in ("doc", "incident", "event_type", "date", "country", "location")} for g in missed],
        spurious=[{k: p.get(k) for k in ("doc", "event_type", "date", "country", "location")} for p in spurious],
        wrong=wrong,
    )


def load_jsonl(path: str | Path) -> list[Row]:
    """Rows of a JSON Lines file; a malformed line is an error naming the file and line."""
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise AmuError(f"cannot read {path}: {e.strerror}", hint="give the path of a JSON Lines gold file") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise AmuError(f"{path}:{n}: not JSON ({e.msg})", hint="one JSON object per line") from e
        if not isinstance(row, dict) or "doc" not in row or "event_type" not in row:
            raise AmuError(f"{path}:{n}: a mention needs at least 'doc' and 'event_type'",
                           hint="see the interchange format in the README")
        rows.append(row)
    return rows


def format_report(r: Report, verbose: bool = False) -> str:
    """The report as text, in the referee's layout (then distractors)."""
    m, gr = r.mentions, r.grouping
    lines = [f"mentions  P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
             f"(tp {m['tp']} fp {m['fp']} fn {m['fn']})"]
    for k, v in r.fields.items():
        if v["scored"]:
            lines.append(f"  {k:<24} {v['accuracy']:.3f}  ({v['correct']}/{v['scored']})")
    lines.append(f"grouping  P {gr['precision']:.3f}  R {gr['recall']:.3f}  F1 {gr['f1']:.3f}")
    dx = r.distractors
    if dx.get("documents"):
        lines.append(f"distractors  {dx['no_mention']}/{dx['documents']} with no mention "
                     f"({dx['share_no_mention']:.3f}); {dx['only_optional']} with nothing beyond optional gold")
    if r.unknown_docs:
        lines.append("predictions for documents not in gold: " + ", ".join(r.unknown_docs[:10]))
    if verbose:
        lines += ["  missed   " + json.dumps(g, ensure_ascii=False) for g in r.missed]
        lines += ["  spurious " + json.dumps(p, ensure_ascii=False) for p in r.spurious]
        lines += ["  wrong    " + json.dumps(w, ensure_ascii=False) for w in r.wrong]
        lines += ["  flagged distractor " + d for d in dx.get("flagged", [])]
    lines.append(f"F1={m['f1']:.3f} grouping_F1={gr['f1']:.3f}")
    return "\n".join(lines)
