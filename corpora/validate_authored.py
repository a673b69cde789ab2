"""Check authored report files against corpora/AUTHORING.md.

Usage: python corpora/validate_authored.py corpora/s7synth/authored/*.json
Exit status 1 and a line per problem when anything is off.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

LABELS = {"observation", "allegation", "opinion", "other"}
CATEGORIES = {
    "presupposed_failure", "unsupported_presupposition", "distancing_attribution",
    "neutral_attribution", "endorsing_attribution", "hedge", "booster",
    "negative_descriptor", "positive_descriptor", "mental_health_reference",
    "pattern_presupposition", "evaluation_as_fact", "unattributed_contested",
}
REQUIRED = ["report_id", "writer", "style", "author", "court", "year", "topics", "framing",
            "parties", "children", "others", "identifiers", "statements"]


def check(path: Path) -> list[str]:
    problems: list[str] = []
    try:
        rep = json.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:  # noqa: BLE001 - report any parse failure
        return [f"{path}: not valid JSON: {exc}"]
    for key in REQUIRED:
        if key not in rep:
            problems.append(f"{path}: missing key {key!r}")
    if problems:
        return problems
    if rep["report_id"] != path.stem:
        problems.append(f"{path}: report_id {rep['report_id']!r} != file name")
    roles = set(rep["parties"])
    ok_sources = roles | {"author", "child", "third_party"}
    ok_targets = roles | {"child"}
    full = " ".join(s.get("text", "") for s in rep["statements"])
    for ident in rep["identifiers"]:
        if ident.get("text") and ident["text"] not in full:
            problems.append(f"{path}: identifier {ident['text']!r} does not occur in the text")
    for i, st in enumerate(rep["statements"]):
        where = f"{path}: statement {i} ({st.get('text', '')[:50]!r})"
        text = st.get("text", "")
        if not text.strip():
            problems.append(f"{where}: empty text")
        body = re.sub(r"^\(?\d+(\.\d+)*[.)]?\s+", "", text.strip())
        if re.search(r"[.!?]\s+[A-Z]", body[:-1]) and not re.search(r"\b(Mr|Mrs|Ms|Dr|Mx|St|No)\.\s", text):
            problems.append(f"{where}: looks like more than one sentence")
        if st.get("label") not in LABELS:
            problems.append(f"{where}: bad label {st.get('label')!r}")
        if st.get("source") not in ok_sources:
            problems.append(f"{where}: bad source {st.get('source')!r}")
        if st.get("label") in {"observation", "opinion", "other"} and st.get("source") != "author":
            problems.append(f"{where}: {st.get('label')} must have source 'author'")
        if st.get("label") == "allegation" and st.get("source") == "author":
            problems.append(f"{where}: allegation must not have source 'author'")
        for t in st.get("targets", []):
            if t not in ok_targets:
                problems.append(f"{where}: bad target {t!r}")
        for cue in st.get("cues", []):
            if cue.get("category") not in CATEGORIES:
                problems.append(f"{where}: bad cue category {cue.get('category')!r}")
            occ = cue.get("occurrence", 1)
            if text.count(cue.get("text", "\0")) < occ:
                problems.append(f"{where}: cue text {cue.get('text')!r} not found (occurrence {occ})")
            if cue.get("target") is not None and cue["target"] not in ok_targets:
                problems.append(f"{where}: bad cue target {cue.get('target')!r}")
        cats = Counter(c.get("category") for c in st.get("cues", []))
        if cats["unsupported_presupposition"] > cats["presupposed_failure"]:
            problems.append(f"{where}: unsupported_presupposition without its presupposed_failure")
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(Path(__file__).parent.glob("s7synth/authored/*.json"))
    problems: list[str] = []
    n_st = 0
    labels: Counter[str] = Counter()
    for p in paths:
        problems += check(p)
        try:
            rep = json.loads(p.read_text(encoding="utf-8"))
            n_st += len(rep["statements"])
            labels.update(s.get("label") for s in rep["statements"])
        except Exception:  # noqa: BLE001
            pass
    for line in problems:
        print(line)
    print(f"{len(paths)} reports, {n_st} statements, labels {dict(labels)}, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
