"""Deterministic generator of a large synthetic corpus for Amu speed benchmarks.

Documents mix three kinds of text so that extraction does realistic work:

* event sentences built from templates with slots for groups, places, dates,
  figures, attack types and claim statuses;
* filler sentences (analysis, background, policy) that describe no event;
* whole paragraphs sampled from the hand-written demo corpus (``src/amu/data/demo``).

Roughly a quarter to a third of the sentences describe an event. Each document
starts with a title line and a date line, so relative dates ("on Friday",
"last month") can be resolved. The text is synthetic and only loosely
plausible; it is meant for timing, never for accuracy measurements.

Usage::

    python benchmarks/corpus_gen.py OUT_DIR --docs 2000 --words 800 --seed 0

Standard library only. The same ``seed`` always yields the same corpus, and
document ``i`` does not depend on how many documents are generated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "src" / "amu" / "data" / "demo"
EVENT_SHARE = 0.27  # probability that a generated sentence is an event sentence
DEMO_PARAGRAPH_SHARE = 0.12  # probability that the next paragraph comes from the demo corpus

PLACES: dict[str, list[str]] = {
    "TJ": ["Dushanbe", "Khujand", "Kulob", "Kulyab", "Danghara", "Vahdat", "Rasht", "Khorog", "Bokhtar", "Panj"],
    "KG": ["Bishkek", "Osh", "Jalal-Abad", "Batken", "Karakol"],
    "KZ": ["Almaty", "Astana", "Aktobe", "Shymkent", "Atyrau"],
    "UZ": ["Tashkent", "Termez", "Andijan", "Namangan", "Samarkand"],
    "TM": ["Ashgabat", "Mary"],
    "AF": ["Kabul", "Mazar-i-Sharif", "Mazar-e-Sharif", "Jalalabad", "Kunduz", "Fayzabad", "Kandahar", "Herat", "Taloqan"],
    "PK": ["Peshawar", "Quetta", "Bajaur", "Karachi"],
    "IR": ["Kerman", "Tehran", "Zahedan", "Shiraz"],
    "RU": ["Moscow", "Krasnogorsk", "Saint Petersburg", "Makhachkala", "Derbent", "Kazan", "Yekaterinburg"],
    "TR": ["Istanbul", "Ankara", "Gaziantep"],
    "EU": ["Vienna", "Cologne", "Wesel", "Berlin", "Paris", "Stockholm", "Brussels", "Warsaw"],
}
ALL_PLACES = [p for ps in PLACES.values() for p in ps]
GROUPS = ["Islamic State Khorasan Province", "ISKP", "ISIS-K", "the Islamic State", "Daesh", "Jamaat Ansarullah",
          "Katibat Imam al-Bukhari", "Tehrik-i-Taliban Pakistan", "an unnamed local cell"]
NATIONALITIES = ["Tajik", "Uzbek", "Kyrgyz", "Kazakh", "Turkmen", "Russian", "Afghan", "Pakistani"]
ATTACKS = ["a suicide bombing", "a car bomb", "a gun attack", "a rocket strike", "a knife attack",
           "an arson attack", "a hostage-taking", "a roadside bomb", "a grenade attack"]
TARGETS = ["a police station", "a mosque", "a market", "a checkpoint", "a bus station", "a concert venue",
           "a church", "a government office", "a border post", "a school"]
LANGUAGES = ["Tajik", "Uzbek", "Russian", "Pashto", "Dari", "Kyrgyz"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]

EVENT_TEMPLATES = [
    "{Date} {attack} in {place} killed {killed} and wounded {wounded}, officials said.",
    "{group} claimed responsibility for {attack} in {place} {date} that left {killed} dead.",
    "Security services in {place} said they had detained {arrested} suspected members of {group} {date}.",
    "Police in {place} thwarted an alleged plot by {arrested} {nat} nationals to attack {target} {date}.",
    "{Date} gunmen stormed {target} in {place}, killing {killed}; the authorities blamed {group}.",
    "Taliban forces raided a suspected {group} hideout near {place} {date}, killing {count} militants.",
    "Inmates linked to {group} rioted at a prison in {place} {date}, and {killed} died.",
    "{group} said it had fired {n} rockets toward {place} {date}, a claim officials denied.",
    "A court in {place} {date} sentenced {arrested} men accused of planning attacks on behalf of {group}.",
    "Officials in {place} refuted reports {date} that {group} had carried out {attack} there.",
    "{group} released a {lang}-language video {date} urging supporters to strike in {place}.",
    "Border guards clashed with militants near {place} {date}; {count} fighters were reported killed.",
    "The death toll from {attack} at {target} in {place} rose to {killed} {date}, with {wounded} injured.",
    "{Date} {arrested} people, among them {nat} citizens, were arrested in {place} over links to {group}.",
    "Investigators said {attack} in {place} {date} was the work of {group}, although no claim was issued.",
    "{Date} authorities in {place} said they had foiled {attack} on {target} and detained {arrested} suspects.",
]
FILLER_TEMPLATES = [
    "Analysts say recruitment increasingly happens online, in Russian and in {lang}.",
    "Remittances from labour migrants make up a large share of household income across the region.",
    "Governments in Central Asia have tightened rules on religious education over the past decade.",
    "The border along the Panj and Amu Darya rivers runs for well over two thousand kilometres.",
    "Diplomats in {place} say regional cooperation on intelligence sharing remains limited.",
    "Human rights groups argue that broad extremism laws are used against peaceful believers.",
    "Unemployment among young men remains high in many districts around {place}.",
    "Trade through {place} has grown steadily since new road and rail links opened.",
    "Officials insist that the security situation is under control and that tourists are welcome.",
    "Researchers caution that official figures are rarely verified by independent observers.",
    "Most migrants from the region work in construction, transport and services.",
    "The group's propaganda frames local governments as puppets of foreign powers.",
    "Donors have funded programmes that train imams and support returning migrants.",
    "Few journalists are able to work freely in the areas where militants operate.",
    "Winter makes many mountain passes near {place} impassable for several months.",
    "Some experts believe the threat is exaggerated to justify restrictions on religious life.",
    "Parliament in {place} is expected to debate amendments to the law on religion next year.",
    "Electricity shortages and high food prices dominate public debate in {place}.",
    "Security cooperation with Moscow, Beijing and Western capitals follows different logics.",
    "Any assessment of the group's strength depends on sources that are difficult to check.",
    "Local elders in {place} describe a generation with few prospects beyond migration.",
    "The ministry of interior publishes only aggregate figures on extremism cases.",
    "Much of the region's online religious content is consumed on Telegram and YouTube.",
    "Relations between {place} and its neighbours have improved since the border was demarcated.",
    "Western aid to the security services has focused on border management and training.",
    "Families of convicted militants often face informal discrimination in their communities.",
    "Observers note that prison conditions can accelerate radicalisation rather than prevent it.",
    "The authorities describe their approach as prevention first, but budgets say otherwise.",
    "Students from {place} increasingly study abroad, in Turkey, Russia and the Gulf.",
    "Religious literacy programmes remain small compared with the scale of labour migration.",
]
TITLE_TEMPLATES = [
    "Security brief: {place}", "{group} and the threat to {place}", "What the latest arrests in {place} tell us",
    "Militancy in the borderlands: notes from {place}", "Weekly incident roundup: {place} and beyond",
    "After the attack in {place}: questions for the region",
]


def _figure(rng: random.Random, people: bool = True) -> str:
    """A casualty or detention figure in one of the wordings reports use."""
    n = rng.choice([2, 3, 4, 5, 7, 9, 12, 15, 21, 30, 45, 60, 133, 1700])
    style = rng.randrange(8)
    noun = " people" if people else ""
    if style == 0:
        return f"at least {n}{noun}"
    if style == 1:
        return f"more than {n}{noun}"
    if style == 2:
        return f"up to {n:,}{noun}"
    if style == 3:
        return rng.choice(["dozens of people", "several people", "scores of people"]) if people \
            else rng.choice(["several", "a dozen", "about a dozen"])
    if style == 4 and n <= 12:
        return NUMBER_WORDS[n - 2] + (rng.choice([" people", " teenagers", " men"]) if people else "")
    return f"{n}{noun}"


def _date_phrase(rng: random.Random, pub: dt.date) -> str:
    """A date expression resolvable against the publication date ``pub``."""
    style = rng.randrange(7)
    if style == 0:
        return "on " + WEEKDAYS[(pub - dt.timedelta(days=rng.randint(1, 6))).weekday()]
    if style == 1:
        return rng.choice(["last month", "earlier this year", "last week", "this month"])
    if style == 2:
        month = MONTHS[rng.randrange(12)]
        return f"in {rng.choice(['early', 'mid-', 'late'])} {month}".replace("- ", "-")
    if style == 3:
        d = pub - dt.timedelta(days=rng.randint(1, 900))
        return f"on {d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 4:
        d = pub - dt.timedelta(days=rng.randint(30, 2000))
        return f"in {MONTHS[d.month - 1]} {d.year}"
    if style == 5:
        return f"in {pub.year - rng.randint(1, 6)}"
    return rng.choice(["on Friday evening", "late on Sunday", "overnight", "yesterday"])


def _fill(template: str, rng: random.Random, pub: dt.date) -> str:
    """Fill every slot of ``template`` with a random value; ``{Date}`` is a capitalised date with a comma."""
    date = _date_phrase(rng, pub)
    values = {
        "group": rng.choice(GROUPS), "place": rng.choice(ALL_PLACES), "attack": rng.choice(ATTACKS),
        "target": rng.choice(TARGETS), "nat": rng.choice(NATIONALITIES), "lang": rng.choice(LANGUAGES),
        "killed": _figure(rng), "wounded": _figure(rng, people=False), "arrested": _figure(rng, people=False),
        "count": _figure(rng, people=False),
        "n": str(rng.randint(2, 12)), "date": date, "Date": date[0].upper() + date[1:] + ",",
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _demo_paragraphs(demo_dir: Path = DEMO_DIR) -> list[str]:
    """Paragraphs of at least 25 words from the demo corpus (txt, md, html ``<p>``, jsonl records)."""
    paras: list[str] = []
    if not demo_dir.is_dir():
        return paras
    for path in sorted(demo_dir.iterdir()):
        raw = path.read_text(encoding="utf-8")
        if path.suffix in (".txt", ".md"):
            chunks = re.split(r"\n\s*\n", raw)
        elif path.suffix == ".html":
            chunks = [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", raw, re.S)]
        elif path.suffix == ".jsonl" and path.name != "meta.jsonl":
            chunks = [c for line in raw.splitlines() if line.strip()
                      for c in re.split(r"\n\s*\n", json.loads(line).get("text", ""))]
        else:
            continue
        for chunk in chunks:
            text = re.sub(r"[*_#>]+", "", " ".join(chunk.split())).strip()
            if len(text.split()) >= 25:
                paras.append(text)
    return paras


def _document(rng: random.Random, words_per_doc: int, paras: list[str]) -> str:
    """One document: title line, date line, then paragraphs until ``words_per_doc`` words."""
    pub = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    title = _fill(rng.choice(TITLE_TEMPLATES), rng, pub)
    date_line = rng.choice([pub.isoformat(), f"{pub.day} {MONTHS[pub.month - 1]} {pub.year}",
                            f"Published {MONTHS[pub.month - 1]} {pub.day}, {pub.year}"])
    body: list[str] = []
    words = 0
    while words < words_per_doc:
        if paras and rng.random() < DEMO_PARAGRAPH_SHARE:
            para = rng.choice(paras)
        else:
            sentences = [_fill(rng.choice(EVENT_TEMPLATES if rng.random() < EVENT_SHARE else FILLER_TEMPLATES), rng, pub)
                         for _ in range(rng.randint(3, 6))]
            para = " ".join(sentences)
        body.append(para)
        words += len(para.split())
    return f"{title}\n{date_line}\n\n" + "\n\n".join(body) + "\n"


def generate(n_docs: int = 2000, words_per_doc: int = 800, seed: int = 0,
             demo_dir: Path = DEMO_DIR) -> Iterator[tuple[str, str]]:
    """Yield ``(name, text)`` for ``n_docs`` synthetic documents of about ``words_per_doc`` words.

    Args:
        n_docs: number of documents.
        words_per_doc: target length; each document ends at the first paragraph past it.
        seed: corpus seed; document ``i`` is seeded with ``f"{seed}:{i}"``.
        demo_dir: folder of demo reports to sample paragraphs from (skipped if absent).
    """
    paras = _demo_paragraphs(demo_dir)
    for i in range(n_docs):
        rng = random.Random(f"{seed}:{i}")
        yield f"bench_{i:05d}.txt", _document(rng, words_per_doc, paras)


def write_corpus(out_dir: str | Path, n_docs: int = 2000, words_per_doc: int = 800, seed: int = 0,
                 demo_dir: Path = DEMO_DIR) -> int:
    """Write the generated corpus as UTF-8 ``.txt`` files under ``out_dir``; return the total word count."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in generate(n_docs, words_per_doc, seed, demo_dir):
        (out / name).write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="Write a deterministic synthetic corpus for speed benchmarks.")
    ap.add_argument("out_dir", help="folder to write bench_NNNNN.txt files into")
    ap.add_argument("--docs", type=int, default=2000, help="number of documents (default 2000)")
    ap.add_argument("--words", type=int, default=800, help="approximate words per document (default 800)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--demo-dir", type=Path, default=DEMO_DIR, help="demo corpus to sample paragraphs from")
    a = ap.parse_args(argv)
    total = write_corpus(a.out_dir, a.docs, a.words, a.seed, a.demo_dir)
    print(f"wrote {a.docs} documents, {total:,} words, to {a.out_dir}")


if __name__ == "__main__":
    main()
