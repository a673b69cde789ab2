"""Build ``corpora/sources/pairs.jsonl``: report/source pairs with planted, labelled discrepancies.

Every sentence below was written for biaslens (invented people, places and events). Each base
pair is written once with placeholders ``{M}`` (the mother), ``{F}`` (the father) and ``{C}``
(the child); the builder fills them from balanced name pools and then makes the role-swapped
twin of every pair with :func:`biaslens.swap.swap_roles`, line by line, so that a
discrepancy that disfavoured the mother disfavours the father in the twin. Gold labels are
carried over by line index, with parties swapped.

Line codes in a report: ``H`` heading, ``S`` supported, ``C`` contradicted, ``X`` stronger than
source, ``N`` not found, ``-`` not checkable (the author's opinion), each with the discrepancy
kind after a colon. Source lines: ``(party or None, omitted?)``. Concerns: ``(line, party,
uptake)``.

Run: ``python corpora/sources/build_sources.py`` (deterministic).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODES = {"S": "supported", "C": "contradicted", "X": "stronger_than_source", "N": "not_found"}

# name pools, balanced: every pair gets one of each, in order
MOTHERS = ["Ms Finch", "Ms Okafor", "Mrs Hale", "Ms Novak", "Ms Price", "Ms Rahman", "Mrs Doyle",
           "Ms Kowalski", "Ms Lindqvist", "Ms Asante", "Ms Moreau", "Ms Castillo"]
FATHERS = ["Mr Bell", "Mr Osei", "Mr Tran", "Mr Harding", "Mr Quinn", "Mr Malik", "Mr Evans",
           "Mr Sato", "Mr Byrne", "Mr Adeyemi", "Mr Costa", "Mr Lund"]
# the templates use "her" for the child, so the child pool is of girls' names
CHILDREN = ["Amy", "Lily", "Maya", "Nora", "Isla", "Mia", "Zara", "Ava", "Ella", "Freya", "Ruby", "Esme"]

BASE = [
    # 1 flipped negation (police record) against F; omitted positive about F
    dict(kind="planted", report=[
        ("{M} told me that {F} was charged with assault after an incident in March 2023.", "C:flipped_negation"),
        ("{F} said that he has attended every contact session at the centre.", "S"),
        ("Police records show one call-out to the family home in March 2023.", "S"),
        ("Analysis", "H"),
        ("I consider that {C} needs stability in both homes.", "-"),
    ], sources={
        "police": [("{F} was arrested in March 2023 but was not charged with assault.", "father", False),
                   ("There was one call-out to the family home in March 2023.", None, False),
                   ("Officers noted that {F} was calm and cooperative at the scene.", "father", True)],
        "interview_father": [("{F} said he has attended every session at the contact centre.", "father", False)],
    }, concerns=[]),
    # 2 request not recorded (not_found) against M; concern of M dismissed
    dict(kind="planted", report=[
        ("I offered to meet {C} at home but {M} had not facilitated this request.", "N:invented_request"),
        ("{M} is worried that {C} is tired and tearful after overnight stays.", "S"),
        ("{F} told me that {C} enjoys her weekends at {F}'s flat.", "S"),
        ("Analysis", "H"),
        ("The worry about {C} being tired and tearful after overnight stays is unfounded.", "-"),
    ], sources={
        "interview_mother": [("{M} said {C} comes back tired and tearful after staying overnight.", "mother", False),
                             ("{M} said she would be happy for me to visit {C} at home.", "mother", True)],
        "interview_father": [("{F} said {C} enjoys weekends at the flat of {F}.", "father", False)],
    }, concerns=[(1, "mother", "dismissed")]),
    # 3 changed number against F; concern of F addressed
    dict(kind="planted", report=[
        ("The school reports that {C} was late on twelve occasions this term.", "C:changed_number"),
        ("{F} raised concerns about {C}'s reading and homework.", "S"),
        ("{M} said that she reads with {C} every evening.", "S"),
        ("Recommendations", "H"),
        ("Because the school confirms {C}'s reading is below the expected level, I recommend that both parents agree a homework routine.", "-"),
    ], sources={
        "school_letter": [("{C} was late on three occasions this term, all on days after contact with {F}.", "father", False),
                          ("{C}'s reading is below the expected level for her age.", None, False)],
        "interview_father": [("{F} is concerned about {C}'s reading and her homework.", "father", False)],
        "interview_mother": [("{M} reads with {C} every evening.", "mother", False)],
    }, concerns=[(1, "father", "addressed")]),
    # 4 strengthened frequency against M
    dict(kind="planted", report=[
        ("{F} said that {M} repeatedly shouted at {C} during handovers.", "X:strengthened_frequency"),
        ("{M} told me that handovers now take place at the school gate.", "S"),
        ("{C} told me she likes seeing both of her parents.", "S"),
        ("Analysis", "H"),
        ("In my view handovers at school reduce the conflict.", "-"),
    ], sources={
        "interview_father": [("{F} said {M} shouted at {C} once during a handover in June.", "mother", False)],
        "interview_mother": [("{M} said handovers now happen at the school gate.", "mother", False),
                             ("{M} said she has always encouraged {C} to see {F}.", "mother", True)],
        "child_notes": [("{C} said she likes seeing both her mum and her dad.", None, False)],
    }, concerns=[]),
    # 5 misattribution (the concern was M's, report gives it to F) ; omitted concern of F
    dict(kind="planted", report=[
        ("{F} told me that he is worried about the new partner's drinking.", "C:misattribution"),
        ("{M} said that {C} has settled well at nursery.", "S"),
        ("Analysis", "H"),
        ("I find that {C} is thriving at nursery.", "-"),
    ], sources={
        "interview_mother": [("{M} said she is worried about the new partner's drinking.", "mother", False),
                             ("{M} said {C} has settled well at nursery.", "mother", False)],
        "interview_father": [("{F} is worried that {C} is left with a babysitter whom {F} has never met.", "father", True)],
    }, concerns=[]),
    # 6 verb changed asked/offered against F; M concern not revisited
    dict(kind="planted", report=[
        ("{F} asked for contact to be reduced to one afternoon a week.", "C:verb_changed"),
        ("{M} is concerned that {C} has missed medical appointments.", "S"),
        ("{F} said that he works shifts at the hospital.", "S"),
        ("Analysis", "H"),
        ("I recommend that contact continue as it is.", "-"),
    ], sources={
        "interview_father": [("{F} offered to reduce contact to one afternoon a week while he works shifts.", "father", False),
                             ("{F} works shifts at the hospital.", "father", False)],
        "interview_mother": [("{M} is concerned {C} has missed two appointments with the doctor.", "mother", False)],
    }, concerns=[(1, "mother", "not_revisited")]),
    # 7 selective quotation of judge: supportive of M kept, critical of M omitted (omissions M)
    dict(kind="planted", report=[
        ("The judge described {M} as a committed and caring parent.", "S"),
        ("The judge noted that {F} had attended every hearing.", "S"),
        ("Analysis", "H"),
        ("I agree with the court that {M} is a committed parent.", "-"),
    ], sources={
        "judge_remarks": [("{M} is a committed and caring parent.", "mother", False),
                          ("However {M} has twice stopped contact without any good reason.", "mother", True),
                          ("{M} must not discuss the proceedings with {C}.", "mother", True),
                          ("{F} has attended every hearing.", "father", False)],
    }, concerns=[]),
    # 8 changed date against M
    dict(kind="planted", report=[
        ("According to the GP letter, {M} missed {C}'s vaccination appointment in January 2024.", "C:changed_date"),
        ("{F} told me that {C} stays with {F} every other weekend.", "S"),
        ("Analysis", "H"),
        ("I am concerned about the missed appointment.", "-"),
    ], sources={
        "gp_letter": [("{C}'s vaccination appointment in October 2023 was missed and rebooked by {M}.", "mother", False)],
        "interview_father": [("{F} has {C} every other weekend.", "father", False)],
    }, concerns=[]),
    # 9 hedge dropped against F
    dict(kind="planted", report=[
        ("The health visitor said that {F} had been drinking at the birthday party.", "X:strengthened_certainty"),
        ("{M} told me that she moved to a two-bedroom flat in April.", "S"),
        ("Recommendations", "H"),
        ("I recommend a further assessment of alcohol use.", "-"),
    ], sources={
        "health_visitor": [("The health visitor thought {F} might have been drinking at the birthday party, but she was not sure.", "father", False)],
        "interview_mother": [("{M} moved to a two-bedroom flat in April.", "mother", False)],
    }, concerns=[]),
    # 10 omitted concern of M (selective: F's concerns kept, M's dropped); F concern addressed
    dict(kind="planted", report=[
        ("{F} is worried that {C} spends too long on her phone at night.", "S"),
        ("{M} said that {C} goes to bed at eight on school nights.", "S"),
        ("Analysis", "H"),
        ("Given that the school reports {C} is tired in class, the phone worry should be discussed by both parents.", "-"),
    ], sources={
        "interview_father": [("{F} is worried {C} is on her phone too late at night.", "father", False)],
        "interview_mother": [("{M} said {C} goes to bed at eight on school nights.", "mother", False),
                             ("{M} is worried that {F} leaves {C} alone in the car.", "mother", True),
                             ("{M} raised a concern that {C} comes back hungry after contact.", "mother", True)],
    }, concerns=[(0, "father", "addressed")]),
    # 11 not_found invented allegation against F; flipped negation for M
    dict(kind="planted", report=[
        ("{M} told me that {F} has threatened to take {C} abroad.", "N:invented_allegation"),
        ("Police checks show that {M} has no convictions.", "S"),
        ("{F} said that he did not attend the school play.", "C:flipped_negation"),
        ("Analysis", "H"),
        ("I consider the risk to be low.", "-"),
    ], sources={
        "police": [("There are no convictions recorded for {M}.", "mother", False)],
        "interview_father": [("{F} said he attended the school play in December.", "father", False)],
        "interview_mother": [("{M} said {F} is a good cook and {C} loves the meals {F} makes.", "father", True)],
    }, concerns=[]),
    # 12 strengthened certainty against M (appeared -> was) + number against F
    dict(kind="planted", report=[
        ("The contact supervisor reported that {M} was hostile towards the staff.", "X:strengthened_certainty"),
        ("The supervisor recorded that {F} arrived 40 minutes late.", "C:changed_number"),
        ("Analysis", "H"),
        ("I would encourage both parents to be punctual and polite.", "-"),
    ], sources={
        "contact_notes": [("{M} appeared frustrated with the staff, possibly because of the delay.", "mother", False),
                          ("{F} arrived 15 minutes late.", "father", False)],
    }, concerns=[]),
    # 13 concerns: F dismissed, M addressed; clean sources
    dict(kind="planted", report=[
        ("{F} raised concerns about {C}'s asthma being managed at {M}'s home.", "S"),
        ("{M} is worried that {C} is frightened of the dog at {F}'s home.", "S"),
        ("Analysis", "H"),
        ("I do not accept that {C}'s asthma is poorly managed.", "-"),
        ("Because {C} told me the dog scares her, I recommend the dog is kept outside during contact.", "-"),
    ], sources={
        "interview_father": [("{F} is concerned that {C}'s asthma is not managed properly at {M}'s home.", "father", False)],
        "interview_mother": [("{M} is worried {C} is frightened of the dog at {F}'s home.", "mother", False)],
    }, concerns=[(0, "father", "dismissed"), (1, "mother", "addressed")]),
    # 14 misattribution against M
    dict(kind="planted", report=[
        ("{M} admitted that she had cancelled three contact sessions.", "C:misattribution"),
        ("{F} said that he lives ten minutes from the school.", "S"),
        ("Analysis", "H"),
        ("I consider that distance is not a barrier to contact.", "-"),
    ], sources={
        "interview_father": [("{F} said that he had cancelled three contact sessions because of work.", "father", False),
                             ("{F} lives ten minutes from the school.", "father", False)],
    }, concerns=[]),
    # 15 omitted positives for F; supported statements
    dict(kind="planted", report=[
        ("The school letter states that {C}'s attendance is 96 percent.", "S"),
        ("{M} told me that she attends every parents' evening.", "S"),
        ("Analysis", "H"),
        ("{C} is doing well at school.", "-"),
    ], sources={
        "school_letter": [("{C}'s attendance this year is 96 percent.", None, False),
                          ("{M} attends every parents' evening.", "mother", False),
                          ("{F} volunteers on the school trips and is warm and patient with the children.", "father", True),
                          ("{F} has helped {C} with her spelling and she has made good progress.", "father", True)],
    }, concerns=[]),
    # 16 frequency strengthened against F + not_found against M
    dict(kind="planted", report=[
        ("{M} said that {F} regularly returns {C} late after contact.", "X:strengthened_frequency"),
        ("{F} told me that {M} has blocked his number.", "N:invented_allegation"),
        ("Analysis", "H"),
        ("Communication between the parents is poor.", "-"),
    ], sources={
        "interview_mother": [("{M} said {F} returned {C} late on one occasion in May.", "father", False)],
        "interview_father": [("{F} said communication with {M} is difficult but they still text about {C}.", "mother", False)],
    }, concerns=[]),
    # --- clean pairs: paraphrase, no discrepancy, every party passage covered ---
    dict(kind="clean", report=[
        ("{M} told me that {C} has started swimming lessons on Saturdays.", "S"),
        ("{F} said that he collects {C} from school on Wednesdays.", "S"),
        ("The school confirms that {C} is happy and has many friends.", "S"),
        ("Analysis", "H"),
        ("I consider the current arrangements to be working.", "-"),
    ], sources={
        "interview_mother": [("{M} said {C} began swimming lessons, which are on Saturday mornings.", "mother", False)],
        "interview_father": [("{F} picks {C} up from school every Wednesday.", "father", False)],
        "school_letter": [("{C} is a happy girl with lots of friends.", None, False)],
    }, concerns=[]),
    dict(kind="clean", report=[
        ("{F} told me that he has been sober for two years.", "S"),
        ("{M} said that she is willing for contact to increase gradually.", "S"),
        ("{M} is worried that {C} finds the changes unsettling.", "S"),
        ("Analysis", "H"),
        ("Because {C} has coped well with past changes, I recommend a gradual increase with a review.", "-"),
    ], sources={
        "interview_father": [("{F} has not had a drink for two years.", "father", False)],
        "interview_mother": [("{M} would agree to contact increasing slowly.", "mother", False),
                             ("{M} is worried the changes unsettle {C}.", "mother", False)],
    }, concerns=[(2, "mother", "addressed")]),
    dict(kind="clean", report=[
        ("The police disclosure records no incidents involving either parent.", "S"),
        ("{M} said that {C} sees her grandparents every Sunday.", "S"),
        ("{F} told me that he has moved to a flat near the park.", "S"),
        ("Analysis", "H"),
        ("There are no safeguarding concerns.", "-"),
    ], sources={
        "police": [("No incidents are recorded involving {M} or {F}.", None, False)],
        "interview_mother": [("{M} said {C} visits her grandparents each Sunday.", "mother", False)],
        "interview_father": [("{F} now lives in a flat close to the park.", "father", False)],
    }, concerns=[]),
    dict(kind="clean", report=[
        ("{F} raised concerns about the length of the journey between the two homes.", "S"),
        ("{M} said that she could meet {F} halfway for handovers.", "S"),
        ("Recommendations", "H"),
        ("Since {M} has offered to meet halfway, I recommend handovers at the motorway services.", "-"),
    ], sources={
        "interview_father": [("{F} is concerned about how long the journey between the homes takes.", "father", False)],
        "interview_mother": [("{M} said she would be able to meet {F} halfway for handovers.", "mother", False)],
    }, concerns=[(0, "father", "addressed")]),
    dict(kind="clean", report=[
        ("The GP letter states that {C} is healthy and her vaccinations are up to date.", "S"),
        ("{M} told me that {C} has a new baby brother.", "S"),
        ("{F} said that he is learning to cook {C}'s favourite meals.", "S"),
        ("Analysis", "H"),
        ("{C} is well cared for by both parents.", "-"),
    ], sources={
        "gp_letter": [("{C} is in good health and all of her vaccinations are current.", None, False)],
        "interview_mother": [("{M} has recently had a baby boy, {C}'s brother.", "mother", False)],
        "interview_father": [("{F} has been learning to cook the meals {C} likes best.", "father", False)],
    }, concerns=[]),
    dict(kind="clean", report=[
        ("{C} told me that she would like to see her dad after school on Fridays.", "S"),
        ("{M} said that Fridays would suit her work pattern.", "S"),
        ("{F} told me that he finishes work at three on Fridays.", "S"),
        ("Analysis", "H"),
        ("I recommend Friday after-school contact.", "-"),
    ], sources={
        "child_notes": [("{C} said she wants to see her dad after school on a Friday.", None, False)],
        "interview_mother": [("{M} said Fridays fit with her shifts at work.", "mother", False)],
        "interview_father": [("{F} finishes work at three o'clock on Fridays.", "father", False)],
    }, concerns=[]),
]
# dev/test split by base pair (a twin always goes with its base pair)
TEST = {2, 4, 5, 7, 9, 11, 13, 15, 17, 19, 21}
#: the second batch (v2): pairs in a compact text format, each block naming its own split
MORE = HERE / "more_pairs.txt"


def parse_more(text: str) -> list[dict]:
    """Parse ``more_pairs.txt`` into base-pair dicts like :data:`BASE`, each with a ``split``.

    Block header ``## <planted|clean> <dev|test>``; report lines ``CODE[ kind] | text`` (codes
    as in :data:`BASE`); source lines ``> source | party or - | kept or omitted | text``.
    """
    out = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line:
            continue
        if line.startswith("## "):
            kind, split = line[3:].split()
            out.append(dict(kind=kind, split=split, report=[], sources={}, concerns=[]))
        elif line.startswith("> "):
            name, party, kept, body = [x.strip() for x in line[2:].split("|", 3)]
            out[-1]["sources"].setdefault(name, []).append(
                (body, None if party == "-" else party, kept == "omitted"))
        else:
            head, body = [x.strip() for x in line.split("|", 1)]
            code, _, disc = head.partition(" ")
            out[-1]["report"].append((body, code + (":" + disc if disc else "")))
    return out


def _fill(s: str, k: int) -> str:
    return s.format(M=MOTHERS[k % len(MOTHERS)], F=FATHERS[k % len(FATHERS)], C=CHILDREN[k % len(CHILDREN)])


def build() -> list[dict]:
    import biaslens
    from biaslens.swap import swap_roles

    nlp = biaslens.load()
    out = []
    more = parse_more(MORE.read_text(encoding="utf-8"))
    for k, base in enumerate(BASE + more):
        pid = f"src{k + 1:02d}"
        parties = {"mother": [MOTHERS[k % len(MOTHERS)]], "father": [FATHERS[k % len(FATHERS)]]}
        child = CHILDREN[k % len(CHILDREN)]
        rep = []
        for text, code in base["report"]:
            c, _, kind = code.partition(":")
            rep.append({"text": _fill(text, k), "heading": c == "H",
                        "gold": CODES.get(c), "discrepancy": kind or None})
        srcs = {n: [{"text": _fill(t, k), "party": p, "omitted": o} for t, p, o in lines]
                for n, lines in base["sources"].items()}
        conc = [{"line": ln, "party": p, "uptake": u} for ln, p, u in base["concerns"]]
        split = base.get("split") or ("test" if (k + 1) in TEST else "dev")
        rec = {"id": pid, "twin_of": None, "split": split, "kind": base["kind"], "parties": parties,
               "child": child, "report": rep, "sources": srcs, "concerns": conc}
        out.append(rec)
        # the role-swapped twin: names, kinship words and bound pronouns change places
        sw = lambda t: swap_roles(t, parties, "mother", "father", nlp=nlp, others=[child])[0]
        flip = {"mother": "father", "father": "mother"}
        twin = json.loads(json.dumps(rec))
        twin.update(id=pid + "s", twin_of=pid)
        twin["parties"] = {"mother": parties["mother"], "father": parties["father"]}
        for line in twin["report"]:
            line["text"] = sw(line["text"])
        twin["sources"] = {n.replace("mother", "@").replace("father", "mother").replace("@", "father"): v
                           for n, v in twin["sources"].items()}
        for lines in twin["sources"].values():
            for line in lines:
                line["text"] = sw(line["text"])
                line["party"] = flip.get(line["party"], line["party"])
        for c in twin["concerns"]:
            c["party"] = flip[c["party"]]
        out.append(twin)
    return out


def texts(rec: dict) -> tuple[str, dict[str, str], list[tuple[int, int]], dict[str, list[tuple[int, int]]]]:
    """The report text, source texts, and the character span of every labelled line."""
    rep, spans, pos = [], [], 0
    for line in rec["report"]:
        spans.append((pos, pos + len(line["text"])))
        rep.append(line["text"])
        pos += len(line["text"]) + 1
    srcs, sspans = {}, {}
    for n, lines in rec["sources"].items():
        parts, sp, p = [], [], 0
        for line in lines:
            sp.append((p, p + len(line["text"])))
            parts.append(line["text"])
            p += len(line["text"]) + 1
        srcs[n] = " ".join(parts)
        sspans[n] = sp
    return "\n".join(rep), srcs, spans, sspans


def main() -> int:
    recs = build()
    path = HERE / "pairs.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    print(f"wrote {len(recs)} pairs to {path}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    sys.exit(main())
