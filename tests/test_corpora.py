"""Tests for the s7synth corpus build (corpora/build.py) and biaslens.corpora."""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from biaslens import corpora
from biaslens.errors import InputError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "corpora"))
import build  # noqa: E402  (corpora/build.py)


@pytest.fixture(scope="module")
def reports():
    return corpora.read_reports()


@pytest.fixture(scope="module")
def ds():
    return corpora.load("s7synth")


def test_built_file_covers_every_authored_report(reports):
    authored = {p.stem for p in (REPO / "corpora/s7synth/authored").glob("*.json")}
    built = {r["report_id"] for r in reports if not r["is_twin"]}
    # a report added after the last build shows up here: rerun `python corpora/build.py`
    assert authored == built
    assert {r["report_id"] for r in reports if r["is_twin"]} == {f"{b}_swap" for b in built}


def test_no_report_crosses_splits_and_twins_stay_together(reports, ds):
    split_of = {}
    for r in reports:
        assert r["split"] in corpora.SPLITS
        split_of[r["report_id"]] = r["split"]
    for r in reports:
        assert split_of[r["twin_of"]] == r["split"]
    seen = {}
    for name, d in ds.items():
        for rid in set(d["report_id"]):
            assert rid not in seen, f"{rid} in {seen.get(rid)} and {name}"
            seen[rid] = name
            assert split_of[rid] == name


def test_split_shares_and_strata(reports):
    groups = Counter(r["split"] for r in reports if not r["is_twin"])
    n = sum(groups.values())
    assert 0.6 <= groups["train"] / n <= 0.8
    for sp in ("dev", "test"):
        assert 0.1 <= groups[sp] / n <= 0.2
        writers = {r["writer"] for r in reports if r["split"] == sp}
        assert writers == {r["writer"] for r in reports}
        kinds = {build.framing_kind(r["framing"]) for r in reports if r["split"] == sp}
        assert kinds == {"even", "against"}


def test_offsets_match_text_and_cues_inside_statements(reports):
    for r in reports:
        prev_end = 0
        for st in r["statements"]:
            assert r["text"][st["start"]:st["end"]] == st["text"]
            assert st["start"] >= prev_end
            prev_end = st["end"]
            for c in st["cues"]:
                assert st["start"] <= c["start"] < c["end"] <= st["end"], r["report_id"]
                assert r["text"][c["start"]:c["end"]] == c["text"]


def test_paragraphs_joined_as_authored(reports):
    r = next(r for r in reports if not r["is_twin"])
    sts = r["statements"]
    for prev, st in zip(sts, sts[1:]):
        sep = r["text"][prev["end"]:st["start"]]
        assert sep == ("\n\n" if st["paragraph_start"] else " ")


def test_twin_mirrors_labels(reports):
    by_id = {r["report_id"]: r for r in reports}
    for r in reports:
        if r["is_twin"]:
            continue
        t = by_id[r["twin_of"]]
        a, b = r["main_parties"]
        assert t["framing"] == build.swap_value(r["framing"], a, b)
        assert len(t["statements"]) == len(r["statements"])
        for s, u in zip(r["statements"], t["statements"]):
            assert u["label"] == s["label"]
            assert u["source"] == {a: b, b: a}.get(s["source"], s["source"])
            assert u["targets"] == [{a: b, b: a}.get(x, x) for x in s["targets"]]
            assert [c["category"] for c in u["cues"]] == [c["category"] for c in s["cues"]]
            assert [c["target"] for c in u["cues"]] == [{a: b, b: a}.get(c["target"], c["target"])
                                                       for c in s["cues"]]


def test_twin_swaps_names_in_text(reports):
    by_id = {r["report_id"]: r for r in reports}
    r = by_id["cfa01"] if "cfa01" in by_id else next(x for x in reports if not x["is_twin"])
    t = by_id[r["twin_of"]]
    a, b = r["main_parties"]
    title_a = next(x for x in r["parties"][a] if x.split()[0] in ("Mr", "Ms", "Mrs", "Miss", "Mx"))
    title_b = next(x for x in r["parties"][b] if x.split()[0] in ("Mr", "Ms", "Mrs", "Miss", "Mx"))
    assert r["text"].count(title_a) == t["text"].count(title_b)
    assert r["text"].count(title_b) == t["text"].count(title_a)


@pytest.mark.parametrize("kind", ["source", "target", "cue"])
def test_role_balance(reports, kind):
    """Each main role is source/target of as many statements of each label (and carries as
    many cues of each category) as the other, per role pair, across the corpus."""
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for r in reports:
        a, b = r["main_parties"]
        pair = tuple(sorted((a, b)))
        for s in r["statements"]:
            if kind == "source":
                roles, keys = [s["source"]], [s["label"]]
            elif kind == "target":
                roles, keys = s["targets"], [s["label"]]
            else:
                roles = [c["target"] for c in s["cues"]]
                keys = [c["category"] for c in s["cues"]]
            for i, role in enumerate(roles):
                if role in (a, b):
                    key = keys[i] if kind == "cue" else keys[0]
                    counts[pair][(key, role)] += 1
    assert counts
    for (x, y), c in counts.items():
        for key in {k for k, _ in c}:
            assert c[(key, x)] == c[(key, y)], (x, y, key)


def test_statement_level_columns(ds):
    row = ds["train"][0]
    for col in ("report_id", "text", "label", "source", "targets", "cues", "prev_text",
                "next_text", "paragraph_start", "position", "writer", "style",
                "source_position", "target_positions", "twin_group"):
        assert col in row
    assert set(ds["train"]["label"]) == set(corpora.LABELS)
    for row in ds["dev"].select(range(50)):
        for c in row["cues"]:
            assert row["text"][c["start"]:c["end"]] == c["text"]


def test_report_level(reports):
    rd = corpora.load("s7synth", level="report")
    assert sum(len(d) for d in rd.values()) == len(reports)
    row = rd["test"][0]
    st = row["statements"][0]
    assert row["text"][st["start"]:st["end"]] == st["text"]
    assert json.loads(row["parties_json"])


@pytest.mark.parametrize("writer", ["A", "C"])
def test_leave_one_writer_out(ds, writer):
    ood = corpora.load("s7synth", ood_writer=writer)
    assert set(ood["test"]["writer"]) == {writer}
    assert writer not in set(ood["train"]["writer"]) | set(ood["dev"]["writer"])
    # train/dev are the in-domain ones without that writer
    assert set(ood["train"]["report_id"]) <= set(ds["train"]["report_id"])
    assert set(ood["dev"]["report_id"]) <= set(ds["dev"]["report_id"])


@pytest.mark.parametrize("kwargs,code,exc", [
    ({"name": "nope"}, "E105", InputError),
    ({"level": "sentence"}, "E108", InputError),
    ({"ood_writer": "Z"}, "E109", InputError),
    ({"path": "/nonexistent/reports.jsonl"}, "E106", FileNotFoundError),
    ({"name": "newssd-eng", "path": "/nonexistent/newssd"}, "E107", FileNotFoundError),
])
def test_load_errors(kwargs, code, exc):
    with pytest.raises(exc, match=code):
        corpora.load(**kwargs)


def test_list():
    assert corpora.list() == ["s7synth", "s7heldout", "s7cuedev", "newssd-eng"]


def test_missing_shared_names_path_and_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("BIASLENS_SHARED", str(tmp_path))
    with pytest.raises(FileNotFoundError) as err:
        corpora.load("newssd-eng")
    assert str(tmp_path) in str(err.value) and "BIASLENS_SHARED" in str(err.value)


@pytest.mark.skipif(not (corpora.shared_dir() / "data" / "newssd-eng" / "test.csv").is_file(),
                    reason="shared folder with NewsSD-ENG not present")
def test_newssd_eng():
    d = corpora.load("newssd-eng")
    assert sorted(d) == ["dev", "test", "train"]
    assert len(d["train"]) == 731 and len(d["dev"]) == 99 and len(d["test"]) == 219
    assert Counter(d["test"]["original_label"]) == {"OBJ": 106, "SUBJ": 113}
    for row in d["test"].select(range(20)):
        assert row["label_binary"] == ("opinion" if row["original_label"] == "SUBJ" else "not_opinion")
        assert row["subjective"] == int(row["original_label"] == "SUBJ")
        assert row["text"]


def test_assemble_and_twin_on_a_small_report(tmp_path):
    rep = {
        "report_id": "tiny", "writer": "A", "style": "s", "author": "FCA X", "court": "C",
        "year": 2024, "topics": [], "framing": "against:mother",
        "parties": {"mother": ["Rachel Finch", "Ms Finch"], "father": ["Daniel Bell", "Mr Bell"]},
        "children": ["Amy"], "others": [], "identifiers": [],
        "statements": [
            {"text": "1. Background", "p": True, "label": "other", "source": "author",
             "targets": [], "cues": []},
            {"text": "Ms Finch claims that Mr Bell failed to return Amy.", "p": True,
             "label": "allegation", "source": "mother", "targets": ["father", "child"],
             "cues": [{"text": "claims", "category": "distancing_attribution", "target": "mother"},
                      {"text": "failed to", "category": "presupposed_failure", "target": "father"}]},
            {"text": "She said that she was upset and that she cried.", "label": "allegation",
             "source": "mother",
             "targets": ["mother"], "cues": [{"text": "she", "occurrence": 2,
                                              "category": "hedge", "target": "mother"}]},
        ],
    }
    orig = build.assemble(rep, tmp_path / "tiny.json")
    assert orig["text"] == ("1. Background\n\nMs Finch claims that Mr Bell failed to return Amy. "
                            "She said that she was upset and that she cried.")
    cue = orig["statements"][2]["cues"][0]
    assert (cue["start"], orig["text"][cue["start"]:cue["end"]]) == (orig["text"].rindex("she"), "she")
    from biaslens.pipeline import _base, spacy_model_name

    twin = build.make_twin(orig, _base(spacy_model_name()))  # what build.py parses with
    assert twin["text"] == ("1. Background\n\nMr Bell claims that Ms Finch failed to return Amy. "
                            "He said that he was upset and that he cried.")
    assert twin["framing"] == "against:father"
    st = twin["statements"][1]
    assert (st["source"], st["targets"]) == ("father", ["mother", "child"])
    assert [(c["text"], c["target"]) for c in st["cues"]] == [("claims", "father"),
                                                              ("failed to", "mother")]
    assert twin["statements"][2]["cues"][0]["text"] == "he"


def test_bad_cue_is_a_coded_error(tmp_path):
    rep = {"report_id": "bad", "writer": "A", "style": "s", "author": "a", "court": "c",
           "year": 2024, "topics": [], "framing": "even",
           "parties": {"mother": ["Ms F"], "father": ["Mr B"]}, "children": [], "others": [],
           "identifiers": [],
           "statements": [{"text": "Ms F said so.", "label": "allegation", "source": "mother",
                           "targets": [], "cues": [{"text": "claims", "category": "hedge",
                                                    "target": None}]}]}
    with pytest.raises(build.BuildError, match="E111") as err:
        build.assemble(rep, tmp_path / "bad.json")
    assert "Ms F" not in str(err.value)  # never echo report text


@pytest.mark.parametrize("seed", [1, 2])
def test_assign_splits_is_deterministic_and_stratified(reports, seed):
    groups = [r for r in reports if not r["is_twin"]]
    s1 = build.assign_splits(groups, seed)
    assert s1 == build.assign_splits(list(reversed(groups)), seed)
    for w in {g["writer"] for g in groups}:
        assert any(s1[g["report_id"]] == "test" for g in groups if g["writer"] == w)


@pytest.mark.parametrize("aliases_a,aliases_b,email,expected", [
    (["Patricia Doyle", "Mrs Doyle"], ["Kwame Mensah", "Mr Mensah"], "k.mensah@example.com",
     ("p.doyle@example.com", "k.mensah@example.com")),
    (["Rachel Finch", "Ms Finch"], ["Daniel Bell", "Mr Bell"], "rachel.finch@example.com",
     ("rachel.finch@example.com", "daniel.bell@example.com")),
    (["Rachel Finch", "Ms Finch"], ["Daniel Bell", "Mr Bell"], "rfinch@example.com",
     ("rfinch@example.com", "dbell@example.com")),
    # negative: a professional's or practice address is nobody's to swap
    (["Rachel Finch", "Ms Finch"], ["Daniel Bell", "Mr Bell"], "kestlemoor.frt@example.com", None),
    (["Rachel Finch", "Ms Finch"], ["Tom Bell", "Mr Bell"], "t.ross@example.com", None),
])
def test_email_pairs(aliases_a, aliases_b, email, expected):
    rep = {"main_parties": ["mother", "father"],
           "parties": {"mother": aliases_a, "father": aliases_b},
           "identifiers": [{"text": email, "type": "EMAIL"}]}
    assert build.email_pairs(rep) == ([expected] if expected else [])


def test_twin_identifiers_occur_in_twin_text(reports):
    for r in reports:
        for ident in r["identifiers"]:
            if r["is_twin"]:
                assert ident["text"] in r["text"], (r["report_id"], ident["type"])


@pytest.mark.slow
def test_reports_jsonl_is_up_to_date():
    """reports.jsonl equals a fresh build of the authored files (else: python corpora/build.py)."""
    reports, _ = build.build()
    on_disk = (REPO / "corpora/s7synth/reports.jsonl").read_text(encoding="utf-8")
    assert build.serialise(reports) == on_disk


def test_cuedev_is_train_only_with_a_twin_per_authored_report():
    """s7cuedev: every authored report built, each with its twin, all in train; s7synth untouched."""
    authored = sorted(p.stem for p in (build.CUEDEV / "authored").glob("*.json"))
    built = corpora.read_reports(build.CUEDEV / "reports.jsonl")
    assert sorted(r["report_id"] for r in built if not r["is_twin"]) == authored
    assert sorted(r["twin_group"] for r in built if r["is_twin"]) == authored
    assert {r["split"] for r in built} == {"train"}
    ds = corpora.load("s7cuedev")
    assert list(ds) == ["train"] and set(ds["train"]["report_id"]) == {r["report_id"] for r in built}
    assert not set(authored) & {r["report_id"] for r in corpora.read_reports()}
