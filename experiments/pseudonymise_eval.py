"""Pseudonymisation: recall of planted identifiers on the synthetic corpus (issue 10).

Every authored report in ``corpora/s7synth/authored/`` lists each identifier planted in its text
with its type. The report text is rebuilt as ``corpora/AUTHORING.md`` says (``"p": true`` starts
a paragraph, otherwise one space), analysed with the report's parties (as a user would pass
them; the child and everyone else are found automatically) and pseudonymised.

An identifier counts as *caught* when no original character sequence of it survives: every
letter and digit of every whole-word occurrence lies inside a replaced span, and the
identifier string does not occur anywhere in the pseudonymised text. Per-occurrence recall is
reported as well. Over-redaction is the share of words outside every planted identifier that
were replaced anyway (the court's town, a heading word).

Caveat: the recognisers' patterns were written while looking at this corpus's identifier
shapes (UK postcodes, 07700 numbers, "Flat 3, ..." addresses), so these are development-set
numbers, not a held-out estimate.
"""
from __future__ import annotations

import json
import re
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

from ._common import ROOT, write_result

NAME = "pseudonymise_eval"
AUTHORED = ROOT / "corpora" / "s7synth" / "authored"
TARGETS = {"PARTY": 0.99, "CHILD": 0.99}
OTHER_TARGET = 0.95


def report_text(statements: list[dict]) -> str:
    """Join statements as ``corpora/AUTHORING.md`` specifies."""
    parts: list[str] = []
    for s in statements:
        if parts:
            parts.append("\n\n" if s.get("p") else " ")
        parts.append(s["text"])
    return "".join(parts)


def _occurrences(text: str, ident: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w]){re.escape(ident)}(?![\w])", text)]


def evaluate_one(data: dict, nlp) -> dict:
    import biaslens
    from biaslens.privacy import identifier_spans, pseudonymise

    text = report_text(data["statements"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = biaslens.analyze(text, parties=data["parties"], nlp=nlp)
    spans = identifier_spans(report)
    pseudo = pseudonymise(report)
    covered = bytearray(len(text))
    for s in spans:
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    idents: dict[str, str] = {}
    for i in data.get("identifiers", []):
        idents.setdefault(i["text"], i["type"])
    per_ident = []
    ident_mask = bytearray(len(text))
    for ident, typ in idents.items():
        occ = _occurrences(text, ident)
        for s, e in occ:
            ident_mask[s:e] = b"\x01" * (e - s)
        occ_ok = [all(covered[k] or not text[k].isalnum() for k in range(s, e)) for s, e in occ]
        survives = bool(_occurrences(pseudo.text, ident))
        per_ident.append({"type": typ, "n_occurrences": len(occ), "occ_caught": sum(occ_ok),
                          "caught": all(occ_ok) and not survives, "found_in_text": bool(occ),
                          "text": ident})
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[A-Za-z0-9]+", text)]
    other = [(s, e, w) for s, e, w in words if not any(ident_mask[s:e])]
    wrong = [w for s, e, w in other if any(covered[s:e])]
    return {"report_id": data["report_id"], "identifiers": per_ident, "n_words": len(other),
            "n_wrong": len(wrong), "wrong_words": wrong, "n_chars": len(text)}


def run(*, quick: bool, seed: int, out: Path) -> dict:
    import biaslens

    files = sorted(AUTHORED.glob("*.json"))
    if quick:
        # a fixed, seed-independent subset: every third report (all styles are interleaved)
        files = files[::3]
    nlp = biaslens.load()
    t0 = time.perf_counter()
    results = [evaluate_one(json.loads(f.read_text(encoding="utf-8")), nlp) for f in files]
    seconds = time.perf_counter() - t0
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: Counter())
    misses: dict[str, list[str]] = defaultdict(list)
    for r in results:
        for i in r["identifiers"]:
            if not i["found_in_text"]:
                by_type[i["type"]]["not_in_text"] += 1
                continue
            c = by_type[i["type"]]
            c["n"] += 1
            c["caught"] += int(i["caught"])
            c["occurrences"] += i["n_occurrences"]
            c["occ_caught"] += i["occ_caught"]
            if not i["caught"]:
                misses[i["type"]].append(f"{r['report_id']}:{i['text']}")
    recall = {}
    for t, c in sorted(by_type.items()):
        target = TARGETS.get(t, OTHER_TARGET)
        rec = c["caught"] / c["n"] if c["n"] else None
        recall[t] = {"n": c["n"], "caught": c["caught"], "recall": rec,
                     "occurrence_recall": c["occ_caught"] / c["occurrences"] if c["occurrences"] else None,
                     "target": target, "meets_target": bool(rec is not None and rec >= target),
                     "not_in_text": c["not_in_text"]}
    n_all = sum(c["n"] for c in by_type.values())
    caught_all = sum(c["caught"] for c in by_type.values())
    others = [t for t in by_type if t not in TARGETS]
    n_o = sum(by_type[t]["n"] for t in others)
    n_words = sum(r["n_words"] for r in results)
    n_wrong = sum(r["n_wrong"] for r in results)
    wrong_counts = Counter(w for r in results for w in r["wrong_words"])
    metrics = {
        "n_reports": len(results),
        "n_identifiers": n_all,
        "recall_all": caught_all / n_all if n_all else None,
        "recall_party_child": (sum(by_type[t]["caught"] for t in TARGETS if t in by_type)
                               / max(1, sum(by_type[t]["n"] for t in TARGETS if t in by_type))),
        "recall_others": sum(by_type[t]["caught"] for t in others) / n_o if n_o else None,
        "over_redaction_share": n_wrong / n_words if n_words else None,
        "n_non_identifier_words": n_words,
        "n_wrongly_redacted_words": n_wrong,
        "recall_by_type": recall,
        "most_wrongly_redacted": dict(wrong_counts.most_common(15)),
        "missed": {t: v[:25] for t, v in sorted(misses.items())},
        "seconds": round(seconds, 1),
    }
    write_result(out, NAME, metrics, config={"quick": quick, "parties": "given (authored)",
                                             "child_and_others": "detected"},
                 seed=seed, inputs=files)
    return metrics


def markdown(record: dict) -> str:
    m = record["metrics"]
    lines = [f"{m['n_reports']} reports, {m['n_identifiers']} planted identifiers. "
             f"Recall (no character of the identifier survives): parties and child "
             f"{m['recall_party_child']:.3f}, others {m['recall_others']:.3f}; over-redaction "
             f"{m['over_redaction_share']:.3%} of non-identifier words.", "",
             "| type | n | recall | occurrence recall | target | met |", "|---|---|---|---|---|---|"]
    for t, r in m["recall_by_type"].items():
        lines.append(f"| {t} | {r['n']} | {r['recall']:.3f} | {r['occurrence_recall']:.3f} | "
                     f"{r['target']} | {'yes' if r['meets_target'] else 'no'} |")
    return "\n".join(lines)
