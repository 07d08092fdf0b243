"""Incident fusion: grouping mentions across documents into fused incidents."""

from __future__ import annotations

import itertools
from dataclasses import replace
import json
import random

import pytest

from amu.errors import ConfigError, NotFound
from amu.records import Count, DateValue, Evidence, Mention, Place, Provenance
from amu.resolve.disjoint import DisjointSets
from amu.resolve.figures import FigureSource, fuse_figure, independent_sources
from amu.resolve.fusion import IncidentIndex, explain, incident_id, mention_from_dict
from amu.resolve.matching import Rule, compare, profile_of_mention, score

PROV = Provenance(doc_id="", extractor="test", version="0")
CROCUS = Place("Crocus City Hall", "RU", "venue", 55.8256, 37.3903, "Moscow Oblast")
KRASNOGORSK = Place("Krasnogorsk", "RU", "city", 55.8204, 37.3302, "Moscow Oblast", 116_738)
MOSCOW = Place("Moscow", "RU", "city", 55.7522, 37.6156, "Moscow", 10_381_222)
MOSCOW_OBLAST = Place("Moscow Oblast", "RU", "admin1", 55.75, 37.5)
KABUL = Place("Kabul", "AF", "city", 34.5281, 69.1723, "Kabul", 3_043_532)
KANDAHAR = Place("Kandahar", "AF", "city", 31.6133, 65.7101, "Kandahar", 391_190)
KARACHI = Place("Karachi", "PK", "city", 24.8608, 67.0104, "Sindh", 11_624_219)
PESHAWAR = Place("Peshawar", "PK", "city", 34.008, 71.5785, "Khyber Pakhtunkhwa", 1_218_773)
KABUL_MOSQUE = Place("Sakhi Shrine", "AF", "venue", 34.5206, 69.1371, "Kabul")
KABUL_BANK = Place("Kabul Bank, Shahr-e Naw", "AF", "venue", 34.5358, 69.1676, "Kabul")
POLICE_LINES = Place("Police Lines Mosque", "PK", "venue", 34.0037, 71.5561, "Khyber Pakhtunkhwa")

_ids = itertools.count()


def mention(doc: str, *, date: str | None = None, killed: int | Count | None = None,
            text: str | None = None, doc_id: str | None = None, mid: str | None = None,
            event_type: str = "attack", **fields: object) -> Mention:
    """A mention with sensible defaults; dates by ISO length, figures by int or Count."""
    n = next(_ids)
    dv = DateValue(date, {4: "year", 7: "month", 10: "day"}[len(date)]) if date else None
    if isinstance(killed, int):
        killed = Count(killed, killed, str(killed))
    place = fields.get("place")
    if "country" not in fields and isinstance(place, Place):
        fields["country"] = place.country
    text = text or f"Report {n} from {doc}: an event of type {event_type} happened somewhere at some time."
    return Mention(id=mid or f"{doc}#{n}", doc=doc, doc_id=doc_id or f"sha-{doc}", event_type=event_type,
                   evidence=Evidence(text, 0, len(text)), provenance=PROV, date=dv, killed=killed,
                   **fields)  # type: ignore[arg-type]


def over(n: int) -> Count:
    return Count(n + 1, None, f"over {n}")


# --- merging the same incident ------------------------------------------------------

def test_same_incident_different_wording_merges_with_conflict_flag() -> None:
    a = mention("tass", date="2024-03-22", place=CROCUS, perpetrator="ISKP",
                attack_type="armed_assault", killed=139, target="concert-goers")
    b = mention("bbc", date="2024-03", place=MOSCOW, perpetrator="Islamic State", killed=over(140))
    c = mention("rt", date="2024-03-22", place=KRASNOGORSK, perpetrator="IS", attack_type="armed_assault")
    index = IncidentIndex()
    ids = index.add_many([b, c, a])
    assert len(set(ids)) == 1 and len(index) == 1
    inc = index.get(ids[0])
    assert inc.date is not None and inc.date.iso == "2024-03-22"
    assert inc.place == CROCUS and inc.country == "RU"
    assert inc.perpetrator == "ISKP"                       # most specific of ISKP / IS
    assert inc.killed is not None and inc.killed.conflict and inc.discrepancy
    assert (inc.killed.low, inc.killed.best, inc.killed.high) == (139, 139, 141)
    assert inc.independent_sources == 3
    assert sorted(inc.documents) == ["bbc", "rt", "tass"]


def test_undated_mention_joins_by_place_perpetrator_and_type() -> None:
    dated = mention("a", date="2024-03-22", place=CROCUS, perpetrator="ISKP", attack_type="armed_assault")
    other = mention("b", date="2024-03-22", place=KABUL, perpetrator="ISKP", attack_type="armed_assault")
    undated = mention("c", place=CROCUS, perpetrator="Islamic State", attack_type="armed_assault")
    index = IncidentIndex()
    index.add_many([dated, other])
    assert index.add(undated) == index.incident_of(dated.id)
    assert index.get(index.incident_of(dated.id)).date.iso == "2024-03-22"  # type: ignore[union-attr]


def test_undated_mention_with_only_a_city_starts_its_own_incident() -> None:
    index = IncidentIndex()
    index.add(mention("a", date="2024-05-01", place=KABUL, attack_type="bombing", perpetrator="Taliban"))
    lone = mention("b", place=KABUL)
    assert index.add(lone) == incident_id(lone.id)


def test_two_attacks_same_city_same_day_stay_apart() -> None:
    bomb = mention("a", date="2024-05-01", place=KABUL, perpetrator="ISKP",
                   attack_type="suicide_bombing", target="Shia mosque", killed=12)
    raid = mention("b", date="2024-05-01", place=KABUL, perpetrator="ISKP",
                   attack_type="armed_assault", target="police checkpoint", killed=3)
    index = IncidentIndex()
    assert len(set(index.add_many([bomb, raid]))) == 2
    # A third report of the bombing finds the right one; the explanation shows why.
    again = mention("c", date="2024-05-01", place=KABUL, attack_type="bombing", target="mosque", killed=12)
    assert index.add(again) == index.incident_of(bomb.id)
    why = index.explain(again, raid)
    # A bombing and a shooting may be one complex attack (related, not different): the targets and the
    # tolls keep these two apart.
    assert not why.merge and why.partial("attack_type") == Rule.load().weight("attack_type", "related")
    assert why.partial("target") == Rule.load().weight("target", "different")


def test_a_rising_toll_does_not_split_one_days_attack_but_a_different_target_does() -> None:
    # The first wire counts 5 dead, a later report 60: the same day's bombing in the same city, with its
    # tolls kept side by side as a discrepancy. Tolls lower the score; they do not decide alone.
    a = mention("a", date="2024-05-01", place=KABUL, attack_type="bombing", killed=5)
    b = mention("b", date="2024-05-01", place=KABUL, attack_type="bombing", killed=60)
    why = explain(a, b)
    assert why.merge and why.partial("killed") == Rule.load().weight("killed", "far") < 0
    index = IncidentIndex()
    ids = index.add_many([a, b])
    assert ids[0] == ids[1] and index.get(ids[0]).discrepancy
    # Another target on the same day is another attack, whatever the tolls.
    c = mention("c", date="2024-05-01", place=KABUL, attack_type="bombing", target="mosque", killed=5)
    d = mention("d", date="2024-05-01", place=KABUL, attack_type="bombing", target="police station", killed=60)
    assert not explain(c, d).merge


def test_different_countries_never_merge() -> None:
    a = mention("a", date="2024-05-01", place=KABUL, perpetrator="TTP", attack_type="bombing", killed=7)
    b = mention("b", date="2024-05-01", place=PESHAWAR, perpetrator="TTP", attack_type="bombing", killed=7)
    why = explain(a, b)
    assert "place:different_country" in why.vetoes and not why.merge
    assert len(set(IncidentIndex().add_many([a, b]))) == 2


def test_contradicting_dates_and_families_veto() -> None:
    a = mention("a", date="2024-05-01", place=KABUL, attack_type="bombing")
    assert "date:contradiction" in explain(a, mention("b", date="2024-06", place=KABUL, attack_type="bombing")).vetoes
    plot = mention("c", date="2024-05-01", place=KABUL, event_type="plot")
    assert "event_type:different_family" in explain(a, plot).vetoes
    arrest = mention("d", date="2024-05-01", place=KABUL, event_type="arrest", arrested=Count(4, 4))
    plot2 = mention("e", date="2024-05-01", place=KABUL, event_type="plot", perpetrator="ISKP")
    assert explain(arrest, plot2).partial("event_type") == Rule.load().weight("event_type", "same_family")


def test_place_compatibility_by_containment_and_distance() -> None:
    venue = mention("a", date="2024-03-22", place=CROCUS, attack_type="armed_assault")
    assert explain(venue, mention("b", date="2024-03-22", place=MOSCOW_OBLAST)).features
    outcome = {f.feature: f.outcome for f in explain(venue, mention("b", date="2024-03", place=MOSCOW_OBLAST)).features}
    assert outcome["place"] == "contains"
    outcome = {f.feature: f.outcome for f in explain(venue, mention("c", date="2024", place=MOSCOW)).features}
    assert outcome["place"] == "near"                      # 16 km: the city and its suburb venue
    assert "place:far" in explain(mention("d", date="2024", place=KABUL), mention("e", place=KANDAHAR)).vetoes
    # Undated, only an identical place can stand in for the date.
    # Undated: a nearby place is compatible but cannot stand in for the date.
    far_undated = explain(venue, mention("f", place=MOSCOW))
    assert far_undated.features[[f.feature for f in far_undated.features].index("place")].outcome == "undated_unplaced"
    assert not far_undated.merge


# --- evidence thresholds --------------------------------------------------------------

def test_weak_mention_joins_only_the_single_compatible_candidate() -> None:
    bomb = mention("a", date="2024-05-01", place=KABUL, attack_type="bombing", perpetrator="ISKP", killed=12)
    raid = mention("b", date="2024-05-01", place=KABUL, attack_type="armed_assault", perpetrator="Taliban")
    weak = mention("c", date="2024-05-01", place=KABUL)       # day + city only: 2 specific fields
    alone = IncidentIndex()
    alone.add(bomb)
    assert alone.add(weak) == alone.incident_of(bomb.id)
    ambiguous = IncidentIndex()
    ambiguous.add_many([bomb, raid])
    assert ambiguous.add(weak) == incident_id(weak.id)
    assert any("little evidence" in n for n in ambiguous.explain(weak, bomb).notes)
    country_only = mention("d", date="2024-05", country="AF")
    assert not explain(country_only, bomb).merge


def test_same_document_mentions_are_not_merged_unless_obviously_the_same() -> None:
    first = mention("roundup", date="2024-05-01", place=KABUL, perpetrator="Taliban", attack_type="bombing")
    second = mention("roundup", place=KABUL, perpetrator="Taliban", attack_type="bombing")
    assert "same_document:different" in explain(first, second).vetoes
    assert explain(first, mention("other", place=KABUL, perpetrator="Taliban", attack_type="bombing")).merge
    repeat = mention("roundup", date="2024-05-01", place=KABUL, attack_type="bombing")
    index = IncidentIndex()
    ids = index.add_many([first, second, repeat])
    assert ids[0] == ids[2] != ids[1]


def test_sole_candidate_with_nearly_enough_evidence_joins_only_when_alone() -> None:
    district = Place("Danghara District", "TJ", "admin2", 38.1, 69.34, "Khatlon")
    dated = mention("a", date="2018-07", place=district, perpetrator="IS", killed=4)
    vague = mention("b", date="2018", place=district, attack_type="vehicle_ramming")
    why = explain(vague, dated)
    rule = Rule.load()
    assert not why.merge and why.total >= rule.threshold - rule.sole_margin
    assert any("sole-candidate" in n for n in why.notes)
    alone = IncidentIndex()
    alone.add(dated)
    assert alone.add(vague) == alone.incident_of(dated.id)
    crowded = IncidentIndex()
    crowded.add_many([dated, mention("c", date="2018-05", place=district, perpetrator="IS", killed=9)])
    assert crowded.add(vague) == incident_id(vague.id)
    # An undated weak mention joins the single candidate that corroborates it (same attack type here)...
    undated = mention("e", place=district, attack_type="vehicle_ramming")
    assert alone.add(undated) == alone.incident_of(dated.id)
    # ... but not when nothing distinctive is shared (a district and an event type are not enough).
    bare = mention("g", place=district)
    assert alone.add(bare) == incident_id(bare.id)


def test_an_undated_mention_placed_only_at_a_province_joins_nothing_alone() -> None:
    """A province holds many incidents, filed under their towns: the one found at the province level is not
    the only one an undated, province-level report could mean."""
    province = Place("Khyber Pakhtunkhwa", "PK", "admin1", 34.5, 72.0)
    dated = mention("a", date="2023-12-12", place=province, attack_type="suicide_bombing", killed=Count(23, None, "23"))
    undated = mention("b", place=province, attack_type="suicide_bombing", perpetrator="ISKP",
                      killed=Count(46, None, "46"))
    index = IncidentIndex()
    index.add(dated)
    assert index.add(undated) == incident_id(undated.id)


def test_a_reused_mention_id_is_reported_not_fused() -> None:
    first = mention("a", date="2022-04-18", country="UZ", attack_type="rocket_attack", mid="same-id")
    other = mention("a", date="2022-04-18", country="TJ", attack_type="rocket_attack", mid="same-id")
    index = IncidentIndex()
    iid = index.add(first)
    with pytest.warns(UserWarning, match="same-id"):
        assert index.add_many([other]) == [iid]
    assert index.mention_count == 1
    first.incident = iid                       # the same mention again, as the pipeline returns it
    index.add(first)


# --- fused record ---------------------------------------------------------------------

def test_revised_death_toll_fuses_to_latest_exact_figure() -> None:
    common = dict(date="2024-03-22", place=CROCUS, attack_type="armed_assault", perpetrator="ISKP")
    early, mid, late = (mention(d, killed=k, **common) for d, k in (("d1", 60), ("d2", 133), ("d3", 145)))
    published = {"sha-d1": "2024-03-22", "sha-d2": "2024-03-24", "d3": "2024-03-27"}  # id or name
    index = IncidentIndex(published=published)
    ids = index.add_many([late, early, mid])
    assert len(set(ids)) == 1
    killed = index.get(ids[0]).killed
    assert killed is not None
    # Superseded preliminary counts are kept as sources but are not "credible" lows.
    assert (killed.low, killed.best, killed.high) == (145, 145, 145)
    assert killed.revised and not killed.conflict and killed.superseded == sorted([early.id, mid.id])
    assert [s.mention_id for s in killed.sources] == [early.id, mid.id, late.id]
    inc = index.get(ids[0])
    assert (inc.first_reported, inc.last_reported) == ("2024-03-22", "2024-03-27")
    # Without publication dates revisions cannot be told from disagreement.
    undated = IncidentIndex()
    killed = undated.get(undated.add_many([early, mid, late])[0]).killed
    assert killed is not None and (killed.low, killed.best, killed.high, killed.conflict) == (60, 145, 145, True)


def test_figure_conflict_is_beyond_wording_only() -> None:
    def fused(*counts: Count) -> object:
        ev = Evidence("x", 0, 1)
        return fuse_figure([FigureSource(f"m{i}", "d", c, ev) for i, c in enumerate(counts)], [None] * len(counts))
    assert fused(Count(139, 139), over(140)).conflict                         # type: ignore[attr-defined]
    assert not fused(over(140), Count(141, None, "more than 140")).conflict    # type: ignore[attr-defined]
    assert not fused(Count(139, 139), Count(139, 139)).conflict                # type: ignore[attr-defined]
    assert not fused(Count(139, 139), Count(140, 140, "about 140")).conflict   # type: ignore[attr-defined]
    assert fused(over(140), over(140)).best == 141                             # type: ignore[attr-defined]


def test_near_duplicate_wire_republication_counts_as_one_source() -> None:
    wire = ("Gunmen opened fire on concert-goers at Crocus City Hall near Moscow on Friday, "
            "killing at least 60 people, officials said.")
    common = dict(date="2024-03-22", place=CROCUS, attack_type="armed_assault", perpetrator="ISKP")
    docs = [mention("ap", text=wire, **common),
            mention("local-paper", text=wire.replace("officials said.", "officials said on Saturday."), **common),
            mention("ap-copy", text=wire, doc_id="sha-ap", **common),               # same content hash
            mention("analysis", text="The Islamic State's Afghan branch claimed the massacre.", **common)]
    index = IncidentIndex()
    inc = index.get(index.add_many(docs)[0])
    assert len(inc.documents) == 4 and inc.independent_sources == 2
    assert independent_sources({"x": ["a b c"], "y": ["a b c"], "z": ["d e f"]}) == 2


def test_status_precedence_and_attack_type_specificity() -> None:
    common = dict(date="2024-05-01", place=KABUL, perpetrator="ISKP", killed=12)
    ms = [mention("a", status="alleged", attack_type="bombing", **common),
          mention("b", status="claimed", attack_type="suicide_bombing", **common),
          mention("c", status="attributed", attack_type="bombing", **common)]
    index = IncidentIndex()
    inc = index.get(index.add_many(ms)[0])
    assert inc.status == "claimed" and inc.attack_type == "suicide_bombing"


# --- order, stability, blocking, state --------------------------------------------------

def _realistic_corpus(seed: int = 7) -> tuple[list[list[Mention]], set[frozenset[str]]]:
    """Documents (lists of mentions) reporting known incidents in varied wording."""
    rng = random.Random(seed)
    # Same group, same city, several times: those incidents are reported at venue
    # level, otherwise an undated report could belong to either (see rebuild()).
    incidents = [  # place, day, perpetrator aliases, attack type, target, killed
        (CROCUS, "2024-03-22", ["ISKP", "IS-K", "Islamic State"], "armed_assault", "concert hall", 145),
        (KABUL_MOSQUE, "2024-05-01", ["ISKP", "Islamic State"], "suicide_bombing", "Shia mosque", 12),
        (KABUL, "2024-05-01", ["Taliban"], "armed_assault", "police checkpoint", 3),
        (KANDAHAR, "2024-03-21", ["ISKP", "IS-K"], "suicide_bombing", "bank", 21),
        (POLICE_LINES, "2023-01-30", ["TTP", "Pakistani Taliban"], "suicide_bombing", "police mosque", 101),
        (PESHAWAR, "2023-03-05", ["TTP"], "armed_assault", "police station", 4),
        (KABUL_BANK, "2024-03-22", ["ISKP"], "bombing", "bank", 8),
    ]
    docs: list[list[Mention]] = []
    truth: dict[int, set[str]] = {}
    for d in range(14):
        doc = f"doc{d:02d}"
        picked = rng.sample(range(len(incidents)), rng.choice((1, 1, 2, 3)))
        ms = []
        for i in picked:
            place, day, perps, attack, target, killed = incidents[i]
            style = rng.random()
            if style < 0.5:      # full wire report
                m = mention(doc, date=day, place=place, perpetrator=rng.choice(perps),
                            attack_type=attack, target=target, killed=killed)
            elif style < 0.75:   # month only, an "at least" figure
                m = mention(doc, date=day[:7], place=place, perpetrator=rng.choice(perps),
                            attack_type=attack, killed=Count(killed - 1, None, f"at least {killed - 1}"))
            else:                # undated follow-up naming place, group and method
                m = mention(doc, place=place, perpetrator=rng.choice(perps), attack_type=attack,
                            target=target)
            ms.append(m)
            truth.setdefault(i, set()).add(m.id)
        docs.append(ms)
    return docs, {frozenset(v) for v in truth.values()}


def test_order_independence_over_document_permutations() -> None:
    docs, truth = _realistic_corpus()
    everything = [m for doc in docs for m in doc]
    for x, y in itertools.combinations(everything, 2):     # precondition of the guarantee
        same = any(x.id in g and y.id in g for g in truth)
        assert explain(x, y).merge == same or (same and x.doc == y.doc), (x.id, y.id)
    rng = random.Random(1)
    partitions = []
    for _ in range(6):
        order = docs[:]
        rng.shuffle(order)
        index = IncidentIndex()
        for doc in order:                                   # documents arrive one at a time
            index.add_many(reversed(doc))
        partitions.append(index.partition())
    assert all(p == truth for p in partitions)


def test_incident_ids_are_stable_as_mentions_arrive() -> None:
    docs, _ = _realistic_corpus(seed=11)
    index = IncidentIndex()
    first = {m.id: index.add(m) for doc in docs[:5] for m in doc}
    for doc in docs[5:]:
        index.add_many(doc)
    assert all(index.incident_of(mid) == iid for mid, iid in first.items())
    founder = docs[0][0]
    assert index.incident_of(founder.id) == incident_id(founder.id)


def test_rebuild_restores_canonical_partition_and_keeps_ids() -> None:
    # Two vague reports that only a precise one links: arrival order decides.
    vague_a = mention("a", date="2024-03", place=MOSCOW, perpetrator="IS", killed=over(140))
    vague_b = mention("b", place=CROCUS, attack_type="armed_assault", target="concert hall")
    precise = mention("c", date="2024-03-22", place=CROCUS, perpetrator="ISKP",
                      attack_type="armed_assault", target="concert hall", killed=139)
    index = IncidentIndex()
    for m in (vague_a, vague_b, precise):
        index.add(m)
    assert len(index) == 2
    before = {m: index.incident_of(m) for m in (vague_a.id, vague_b.id, precise.id)}
    moved = index.rebuild()
    canonical = IncidentIndex()
    canonical.add_many([vague_b, precise, vague_a])
    assert index.partition() == canonical.partition() and len(index) == 1
    kept = index.incident_of(precise.id)
    assert kept == before[precise.id] and set(moved.values()) == {kept}


def test_blocking_compares_only_candidates_sharing_a_block() -> None:
    index = IncidentIndex()
    places = [KABUL, KANDAHAR, PESHAWAR, MOSCOW]
    for k in range(200):
        index.add(mention(f"bg{k}", date=f"20{10 + k % 10}-{1 + k % 12:02d}-{1 + k % 28:02d}",
                          place=places[k % 4], attack_type="bombing", perpetrator=f"group {k}",
                          event_type=("attack", "plot", "unrest")[k % 3]))
    probe = mention("probe", date="2015-06-06", place=KABUL, attack_type="bombing")
    candidates = index.candidates(probe)
    assert len(candidates) < 10
    assert all(index.get(c).country == "AF" and index.get(c).family == "attack" for c in candidates)
    assert index.candidates(mention("x", event_type="attack")) == set()  # no country, no date


def test_state_round_trip_through_json() -> None:
    docs, _ = _realistic_corpus(seed=3)
    index = IncidentIndex(published={"sha-doc00": "2024-03-23"})
    for doc in docs[:8]:
        index.add_many(doc)
    restored = IncidentIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored.partition() == index.partition()
    assert [i.id for i in restored.incidents()] == [i.id for i in index.incidents()]
    for doc in docs[8:]:
        assert restored.add_many(doc) == index.add_many(doc)
    lean = index.to_state(include_mentions=False)
    again = IncidentIndex.from_state(lean, mentions=[m for doc in docs for m in doc])
    assert again.partition() == index.partition()
    m = docs[0][0]
    assert mention_from_dict(m.to_dict()) == m


def test_explain_lists_partial_scores_vetoes_total_and_threshold() -> None:
    a = mention("a", date="2024-03-22", place=CROCUS, perpetrator="ISKP", attack_type="armed_assault", killed=139)
    b = mention("b", date="2024-03", place=MOSCOW, perpetrator="IS", killed=over(140))
    why = explain(a, b)
    assert {f.feature for f in why.features} >= {"event_type", "date", "place", "perpetrator", "killed"}
    assert why.partial("date") == 1.0 and why.partial("place") == 2.5 and why.partial("perpetrator") == 1.0
    assert why.total == pytest.approx(sum(f.score for f in why.features if f.score is not None))
    assert why.threshold == Rule.load().threshold and why.merge and why.vetoes == []
    text = str(why)
    assert "same_month" in text and "near" in text and "threshold" in text
    index = IncidentIndex()
    iid = index.add_many([a, b])[0]
    assert index.explain(a.id, iid).notes and explain(a, index.get(iid)).to_dict()["merge"]
    with pytest.raises(NotFound):
        index.explain("nope", iid)


def test_fast_score_agrees_with_explanation_and_is_symmetric() -> None:
    docs, _ = _realistic_corpus(seed=5)
    rule = Rule.load()
    profiles = [profile_of_mention(m, rule) for doc in docs for m in doc]
    for a, b in itertools.permutations(profiles, 2):
        verdict, why = score(a, b, rule), compare(a, b, rule)
        assert (verdict is None) == bool(why.vetoes)
        assert verdict is None or (verdict[0] == pytest.approx(why.total) and verdict[1] == why.conflict)
        assert verdict == score(b, a, rule)     # order arguments rely on symmetry
        for floor in (0.0, 5.0, rule.threshold):  # pruning drops only what cannot reach the floor
            pruned = score(a, b, rule, floor)
            assert pruned == verdict or (pruned is None and (verdict is None or verdict[0] < floor))


def test_rule_is_data() -> None:
    data = json.loads(json.dumps(_raw_weights()))
    data["threshold"] = 100.0
    strict = IncidentIndex(weights=data)
    a = mention("a", date="2024-05-01", place=KABUL, attack_type="bombing", perpetrator="ISKP")
    b = mention("b", date="2024-05-01", place=KABUL, attack_type="bombing", perpetrator="ISKP")
    assert len(set(strict.add_many([a, b]))) == 2 and len(set(IncidentIndex().add_many([a, b]))) == 1
    del data["features"]["place"]["near"]
    with pytest.raises(ConfigError):
        Rule.load(data)


def _raw_weights() -> dict[str, object]:
    from importlib import resources
    return json.loads(resources.files("amu").joinpath("data/fusion_weights.json").read_text())


def test_store_keeps_published_ids_and_redirects_only_a_proven_merge() -> None:
    from amu.records import Document
    from amu.resolve.incidents import fuse_store, resolve_id
    from sqlalchemy import text

    from amu.store import Store

    store = Store(":memory:")

    def add(name: str, *ms: Mention) -> dict[str, str]:
        doc = Document(id=f"sha-{name}", name=name, text=" ".join(m.evidence.text for m in ms))
        store.add_document(doc, [Mention(**{**vars(m), "doc": name, "doc_id": doc.id}) for m in ms], "test")
        with store.transaction() as conn:
            conn.execute(text("UPDATE incidents SET updated_at = 'before'"))
        fuse_store(store, touched_docs={doc.id})
        return {m.id: m.incident for m in store.mentions()}   # type: ignore[misc]

    # Two vague reports of what will turn out to be one attack: no evidence links them yet.
    first = add("a", mention("a", date="2024-03", place=MOSCOW, perpetrator="IS", killed=over(140), mid="a1"))
    second = add("b", mention("b", place=CROCUS, attack_type="armed_assault", target="concert hall", mid="b1"))
    assert second["a1"] == first["a1"] and second["b1"] != second["a1"]
    # An unrelated report leaves both ids as they are.
    third = add("k", mention("k", date="2024-03-22", place=KABUL, attack_type="bombing", killed=4, mid="k1"))
    assert {third["a1"], third["b1"]} == {second["a1"], second["b1"]}
    stamps = {r["id"]: r["updated_at"] for r in store.incident_rows(limit=10_000)}
    assert stamps[third["a1"]] == stamps[third["b1"]] == "before" and stamps[third["k1"]] != "before"
    # A precise report shows the two are one: one published id survives, the other redirects to it.
    last = add("c", mention("c", date="2024-03-22", place=CROCUS, perpetrator="ISKP", attack_type="armed_assault",
                            target="concert hall", killed=139, mid="c1"))
    survivor = last["c1"]
    assert last["a1"] == last["b1"] == survivor and survivor in {second["a1"], second["b1"]}
    retired = ({second["a1"], second["b1"]} - {survivor}).pop()
    assert resolve_id(store, retired) == survivor and resolve_id(store, survivor) == survivor
    assert last["k1"] == third["k1"]


def test_a_weak_mention_is_checked_against_the_reported_figures_not_an_open_range() -> None:
    """"At least 2" opens the incident's toll upwards; an undated report of "at least 170" dead in the same
    city is still not that incident (the reports give 6 and 10)."""
    index = IncidentIndex()
    for doc, killed in (("a", Count(2, None, "at least two")), ("b", 6), ("c", 10)):
        index.add(mention(doc, date="2022-09-05", place=KABUL, perpetrator="IS", attack_type="suicide_bombing",
                          killed=killed))
    weak = mention("d", place=KABUL, perpetrator="IS", attack_type="suicide_bombing", killed=Count(170, None, "at least 170"))
    index.add(weak)
    assert len(index.incidents()) == 2


def test_a_report_dated_only_by_its_own_date_finds_the_incident_of_that_month() -> None:
    """A date known only from the report (a date line, "said on Thursday") is good for the month: the
    incident dated to a day inside that month is a candidate, and the two merge."""
    index = IncidentIndex()
    first = mention("a", date="2024-10-06", place=KARACHI, perpetrator="BLA", attack_type="bombing", killed=2)
    index.add(first)
    later = mention("b", place=KARACHI, perpetrator="BLA", attack_type="suicide_bombing", killed=3)
    later.date = DateValue("2024-10-12", "day", qualifier="reported")
    assert index.add(later) == index.incident_of(first.id)


def test_disjoint_sets_join_chains_and_keep_first_seen_order() -> None:
    sets = DisjointSets(["a", "b", "c", "d", "e"])
    sets.union("c", "d")
    sets.union("d", "a")        # a joins c's group through d
    assert sets.find("a") == sets.find("c") == sets.find("d")
    assert sets.find("b") != sets.find("a")
    assert "e" in sets and "z" not in sets
    assert sets.groups() == [{"a", "c", "d"}, {"b"}, {"e"}]


def test_a_day_stated_without_a_year_joins_the_dated_report_of_that_day() -> None:
    # 2 May 2024 was a Thursday; an undated report says "on Thursday" or "on May 2".
    dated = mention("wire", date="2024-05-02", place=KABUL, attack_type="bombing", killed=7)
    thursday = mention("blog", place=KABUL, attack_type="bombing", killed=7, date_hint="-W-4")
    may2 = mention("paper", place=KABUL, attack_type="bombing", date_hint="--05-02")
    friday = mention("radio", place=KABUL, attack_type="bombing", killed=7, date_hint="-W-5")
    rule = Rule.load()
    p = {m.doc: profile_of_mention(m, rule) for m in (dated, thursday, may2, friday)}
    def date_outcome(x: str, y: str) -> str:
        return next(f.outcome for f in compare(p[x], p[y], rule).features if f.feature == "date")
    assert date_outcome("blog", "wire") == "hint_weekday" and date_outcome("paper", "wire") == "hint_day"
    assert date_outcome("radio", "wire") == "hint_contradiction" and date_outcome("blog", "paper") == "missing"
    index = IncidentIndex()
    ids = dict(zip("abcd", index.add_many([dated, thursday, may2, friday])))
    assert ids["a"] == ids["b"] == ids["c"] != ids["d"]
    # Without the hint the same report has too little to go on: a place and a kind do not date it.
    plain = mention("blog", place=KABUL, attack_type="bombing")
    hinted = mention("blog", place=KABUL, attack_type="bombing", date_hint="-W-4")
    assert not explain(plain, dated).merge and explain(hinted, dated).merge


def test_a_hinted_report_takes_its_incidents_day_marked_as_such() -> None:
    from amu.resolve.incidents import fuse_mentions

    dated = mention("wire", date="2024-05-02", place=KABUL, attack_type="bombing", killed=7)
    thursday = mention("blog", place=KABUL, attack_type="bombing", killed=7, date_hint="-W-4")
    elsewhere = mention("radio", place=KANDAHAR, attack_type="bombing", killed=3, date_hint="-W-4")
    fuse_mentions([dated, thursday, elsewhere])
    assert thursday.date is not None and thursday.date.iso == "2024-05-02" and thursday.date.qualifier == "incident"
    line = thursday.to_interchange()
    assert line["date"] == "2024-05-02" and line["date_from"] == "incident" and line["date_hint"] == "-W-4"
    assert elsewhere.date is None and elsewhere.to_interchange()["date_hint"] == "-W-4"   # alone: stays undated


def test_a_report_that_tells_its_attack_twice_gives_one_mention_but_two_attacks_stay_two() -> None:
    from amu.resolve.report import one_report

    headline = mention("r", date="2024-05-02", place=KABUL, attack_type="suicide_bombing", killed=Count(12, None, "at least 12"))
    lead = mention("r", date="2024-05-02", place=KABUL, attack_type="suicide_bombing", perpetrator="ISKP",
                   wounded=Count(21, 21, "21"))
    (one,) = one_report([headline, lead])
    assert one.perpetrator == "ISKP" and one.killed is not None and one.wounded is not None
    # Another city, or the same city in another month's attack an analysis recalls: two incidents.
    elsewhere = mention("r", date="2024-05-02", place=KANDAHAR, attack_type="suicide_bombing", killed=3)
    earlier = mention("r", date="2024-03", place=KABUL, attack_type="suicide_bombing", killed=12)
    assert len(one_report([headline, elsewhere])) == 2 and len(one_report([headline, earlier])) == 2


def test_arrests_announced_days_apart_in_one_town_are_one_incident_but_attacks_are_not():
    """Reports of arrests date the announcement, days after the arrests (``lag_families``); attacks do not lag."""
    from amu.records import Count, DateValue, Evidence, Mention, Place, Provenance
    from amu.resolve.incidents import fuse_mentions

    town = Place("Dushanbe", "TJ", "city", 38.56, 68.77)

    def m(i: str, event: str, day: str) -> Mention:
        text = f"report {i}"
        return Mention(id=i, doc=f"{i}.txt", doc_id=f"sha-{i}", event_type=event, evidence=Evidence(text, 0, len(text)),
                       provenance=Provenance(f"sha-{i}", "test", "0"), date=DateValue(day, "day"), country="TJ",
                       place=town, location="Dushanbe", perpetrator="IS",
                       arrested=Count(12, 12) if event == "arrest" else None)

    arrests = [m("a1", "arrest", "2018-11-04"), m("a2", "arrest", "2018-11-12")]
    fuse_mentions(arrests)
    assert arrests[0].incident == arrests[1].incident
    attacks = [m("b1", "attack", "2018-11-04"), m("b2", "attack", "2018-11-12")]
    fuse_mentions(attacks)
    assert attacks[0].incident != attacks[1].incident


def test_a_person_both_reports_name_ties_an_undated_report_to_its_incident() -> None:
    # Two bombings in Moscow months apart; an undated report of one: the city and the means fit both.
    winter = mention("a", date="2024-01-10", place=MOSCOW, attack_type="bombing", people=["Oleg Smirnov"])
    summer = mention("b", date="2024-07-02", place=MOSCOW, attack_type="bombing", people=["Ivan Petrovsky"])
    undated = mention("c", place=MOSCOW, attack_type="bombing", people=["Ivan Petrovsky", "Anna Lebedeva"])
    index = IncidentIndex()
    index.add_many([winter, summer])
    assert index.add(undated) == index.incident_of(summer.id)
    assert "ivan petrovsky" in str(index.explain(undated, summer).to_dict())
    nameless = mention("d", place=MOSCOW, attack_type="bombing")
    assert index.add(nameless) == incident_id(nameless.id)


def test_a_weak_mention_joins_the_one_candidate_whose_tolls_agree() -> None:
    dated = mention("a", date="2024-05-01", place=KABUL, attack_type="armed_assault", perpetrator="ISKP", killed=5)
    other = mention("b", date="2024-06-10", place=KABUL, attack_type="armed_assault", perpetrator="ISKP", killed=10)
    weak = mention("c", place=KABUL, attack_type="armed_assault", perpetrator="ISKP", killed=5)   # undated
    index = IncidentIndex()
    index.add_many([dated, other])
    assert index.incident_of(dated.id) != index.incident_of(other.id)
    assert index.add(weak) == index.incident_of(dated.id)


def test_a_year_and_a_month_in_one_country_do_not_tie_two_weak_reports() -> None:
    # "in early January 2021, 11 miners were killed" and "a blast on a bus had killed 13 people in 2021":
    # the same year and country, near tolls, nothing else in common.
    january = mention("a", date="2021-01", country="PK", killed=11)
    year = mention("b", date="2021", country="PK", killed=13)
    index = IncidentIndex()
    assert len(set(index.add_many([january, year]))) == 2


def test_a_weak_report_stating_a_day_does_not_take_the_one_incident_in_town_that_cannot_confirm_it() -> None:
    # A store holding one undated Kunduz bombing; a report of a suicide bombing in Kunduz "on 8 October" may
    # tell another one, not yet reported: it stays apart. One "on Tuesday" joins an incident of a Tuesday.
    kunduz = Place("Kunduz", "AF", "city", 36.728, 68.857, "Kunduz", 268_893)
    told = mention("a", place=kunduz, attack_type="bombing", killed=Count(4, None, "at least four"))
    hinted = mention("b", place=kunduz, attack_type="suicide_bombing", perpetrator="ISKP", date_hint="--10-08",
                     killed=Count(43, None, "at least 43"))
    index = IncidentIndex()
    index.add(told)
    assert index.add(hinted) == incident_id(hinted.id)
    tuesday = mention("c", date="2024-05-14", place=PESHAWAR, attack_type="suicide_bombing", perpetrator="TTP")
    weak = mention("d", place=PESHAWAR, attack_type="suicide_bombing", date_hint="-W-2")
    index.add(tuesday)
    assert index.add(weak) == index.incident_of(tuesday.id)


def test_a_one_member_record_is_what_the_general_merge_makes_of_it() -> None:
    # merge_profiles takes a short path for one member (most records have one); it must make the same record
    from amu.resolve import profiles

    docs, _ = _realistic_corpus()
    odd = [mention("odd", date="2024-03-22", place=CROCUS, perpetrator="ISKP", attack_type="bombing",
                   target="the concert hall", people=["Ivan Petrov"], killed=over(140)),
           mention("odd", date="2024", country="AF", perpetrator="Islamic State"),
           mention("odd", date="2023-07", location="Peshawar outskirts", event_type="arrest"),
           mention("odd", country="UZ", date_hint="--03-22", event_type="plot", attack_type="armed_assault"),
           mention("odd", event_type="propaganda")]
    odd[2] = replace(odd[2], date=DateValue("2023-07-14", "day", qualifier="reported"))
    rule = IncidentIndex().rule
    seen = 0
    for m in [*(m for doc in docs for m in doc), *odd]:
        p = profile_of_mention(m, rule)
        assert profiles._merge_one("inc-x", p, rule) == profiles._merge_many("inc-x", [p], rule), m.id
        seen += 1
    assert seen > 25
