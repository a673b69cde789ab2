"""Was each parent heard alike? Concerns uptake and assessment parity, from the report alone.

* **Concerns uptake.** Each concern a party raised ("Mr B is worried that ...", "Ms F raised
  concerns about ...") is followed into the report's analysis and recommendation sections
  (or, where the report has no such headings, the author's opinions after it). A later
  statement *engages* with the concern when it shares at least two content words with it. The
  concern is ``addressed`` when an engaging statement gives a reason or an action,
  ``dismissed`` when one rejects it without a stated reason, ``not_revisited`` otherwise.
* **Assessment parity.** The contacts the author records with each party (home visit, office,
  telephone, observed with the child, invited with the child, documents read from them), with
  durations where given.

Pure functions of a finished :class:`~biaslens.report.Report`; nothing re-parses. Rules are
transparent and every row carries the statement it came from.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .report import Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

UPTAKE = ("addressed", "dismissed", "not_revisited")
CONTACTS = ("home_visit", "office", "telephone", "observed_with_child", "invited_with_child",
            "documents_read")

_CONCERN_AFTER = (r"(?:\s+(?:is|was|has|had|remains|remained|were|are|also|been|very|particularly|"
                  r"still|now|deeply|extremely|understandably|clearly|repeatedly|again|has been|"
                  r"had been))*\s+(?:worried|concerned|anxious|fearful|afraid|"
                  r"raised (?:a |her |his |their |several |serious )?concerns?|expressed (?:a |her |his |"
                  r"their |serious )?concerns?|voiced (?:a |her |his |their )?concerns?|fears|feared|worries)")
_CONCERN_POSS = r"['\u2019]s\s+(?:main |principal |primary |key |only )?(?:concern|worry|fear)s?\b"
_HEADING = re.compile(r"\b(analysis|assessment|recommendations?|conclusions?|welfare checklist|"
                      r"evaluation|discussion|my view|proposals?)\b", re.I)
_REASON = re.compile(r"\b(because|since|given|in light of|due to|evidence|records? (?:show|shows|"
                     r"confirm|confirms|indicate)|reports? (?:show|shows|confirm|confirms|indicate)|"
                     r"I have (?:considered|checked|spoken|read|looked)|having (?:considered|"
                     r"checked|spoken|read)|therefore|which means|on the basis of|supported by|"
                     r"confirmed|as (?:the|this|there|he|she|they|it)\b)", re.I)
_ACTION = re.compile(r"\b(recommend|recommended|should|propose|suggest|ensure|arrange|refer|"
                     r"will need|it would be helpful|would benefit|must)\b", re.I)
_DISMISS = re.compile(r"\b(unfounded|not supported|no basis|(?:do|did) not accept|not accepted|"
                      r"(?:do|did) not share|dismiss(?:ed)?|reject(?:ed)?|not a concern|not credible|"
                      r"exaggerat(?:ed|ing)|not relevant|not necessary|not warranted|misplaced|"
                      r"overstated|no need|not persuaded|without merit|not significant|"
                      r"not an issue|not a matter)\b", re.I)
_STOP = set("""a an the and or but of to in on at by for with from as is was were be been being am
are has have had do does did that this these those it its he she him her his hers they them their
i me my we us our you your which who whom whose what when where while there here so than then also
very just only into about over after before during because if not no said says told stated reported
explained described would could should will shall may might can must one raised expressed voiced
concern concerns concerned worried worry worries anxious fear fears feared fearful afraid main
particularly still remains remained mr mrs ms miss mx dr mother father mum dad""".split())
_CONTACT_RX = {
    "home_visit": re.compile(r"\bhome visit|\bvisited\b[^.]{0,60}\bat (?:his|her|their|the) "
                             r"(?:home|house|flat|property)|\bvisit(?:ed)? (?:to )?(?:his|her|their) "
                             r"(?:home|house|flat)|\bat (?:his|her|their) (?:home|house|flat)", re.I),
    "office": re.compile(r"\boffice\b|\bat the (?:court|Cafcass) (?:building|centre)", re.I),
    "telephone": re.compile(r"\btelephone|\bby phone\b|\bphone call|\bover the phone|\bvideo call|"
                            r"\bon Teams\b|\bby Zoom\b|\bvirtual(?:ly)?\b", re.I),
    # "I saw Amy with her mother", "Amy was seen with Ms F": a contact *with* the child (the
    # child must be named too, checked in contacts_frame)
    "observed_with_child": re.compile(r"\bobserv(?:ed|ation of)\b|\b(?:saw|seen|met)\b[^.]{0,60}"
                                      r"\b(?:with|together)\b", re.I),
    "invited_with_child": re.compile(r"\binvit(?:ed|ation)\b", re.I),
    "documents_read": re.compile(r"\b(?:read|reviewed|considered|received)\b[^.]{0,80}\b(?:statement|"
                                 r"letter|email|e-mail|messages|documents?|application|C1A|"
                                 r"diary|chronology|photographs|position)\b", re.I),
}
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45,
        "ninety": 90}
_DURATION = re.compile(r"\b(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|ten|fifteen|twenty|"
                       r"thirty|forty|forty-five|ninety)(?: and a half)?\s+(hours?|hrs?|minutes?|mins?)\b"
                       r"|\bhalf an hour\b", re.I)


def _forms(report: Report) -> dict[str, list[str]]:
    from .parties import surface_forms

    return {r: surface_forms(r, list(p.aliases)) for r, p in report.parties.items()}


def _mentions(text: str, forms: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    from .parties import find_mentions

    return find_mentions(text, forms)


def _content(text: str) -> set[str]:
    from .sources import _stem

    return {_stem(w) for w in re.findall(r"[A-Za-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def _child_words(report: Report) -> re.Pattern:
    names = [re.escape(a) for a in (report.child.aliases if report.child else ())]
    words = names + ["the child", "the children", "son", "daughter", "child", "children"]
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.I)


def _analysis_ids(report: Report) -> tuple[set[int], bool]:
    """Statement ids inside analysis/recommendation sections, and whether headings exist."""
    ids, inside, found = set(), False, False
    for i, s in enumerate(report.statements):
        words = s.text.split()
        heading = len(words) <= 8 and not s.text.rstrip().endswith((".", "?", "!")) or s.label == "other" and len(words) <= 8
        if heading:
            inside = bool(_HEADING.search(s.text))
            found = found or inside
            continue
        if inside:
            ids.add(i)
    return ids, found


def concerns_frame(report: Report) -> "pd.DataFrame":
    """Each concern a party raised and whether the analysis engages with it.

    Returns
    -------
    pandas.DataFrame
        Columns ``party, statement_id, text, uptake, response_id, response, reason``.

    Examples
    --------
    >>> import biaslens
    >>> from biaslens.hearing import concerns_frame
    >>> r = biaslens.analyze("Mr Bell is worried that Amy is missing school.\\n"
    ...                      "Analysis\\nAmy's school attendance is good, as school records show "
    ...                      "she missed no days, so I do not share the worry about school.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> concerns_frame(r)[["party", "uptake"]].values.tolist()
    [['father', 'addressed']]
    """
    import pandas as pd

    forms = _forms(report)
    alts = {r: "|".join(re.escape(f) for f in sorted(set(fs), key=len, reverse=True) if f)
            for r, fs in forms.items()}
    rx = {r: re.compile(rf"(?<![\w-])(?:{a})(?:{_CONCERN_AFTER}|{_CONCERN_POSS})", re.I if False else 0)
          for r, a in alts.items() if a}
    analysis, has_sections = _analysis_ids(report)
    rows: list[dict[str, Any]] = []
    for i, s in enumerate(report.statements):
        if i in analysis:
            continue  # the author's own analysis is where concerns are answered, not raised
        for role, pat in rx.items():
            m = pat.search(s.text)
            if not m:
                continue
            topic = _content(s.text[m.end():]) or _content(s.text)
            for f in forms[role]:
                topic -= _content(f)
            later = [j for j in (sorted(analysis) if has_sections else range(i + 1, len(report.statements)))
                     if j != i and (has_sections or report.statements[j].label == "opinion")]
            best, best_j, reason = "not_revisited", -1, ""
            rank = {"not_revisited": 0, "dismissed": 1, "addressed": 2}
            for j in later:
                t = report.statements[j].text
                overlap = topic & _content(t)
                if len(overlap) < min(2, len(topic)):
                    continue
                if _DISMISS.search(t) and not _REASON.search(t):
                    u, why = "dismissed", "rejected without a stated reason"
                elif _REASON.search(t) or _ACTION.search(t):
                    u, why = "addressed", "reason or action: " + (_REASON.search(t) or _ACTION.search(t)).group(0)
                else:
                    continue
                if rank[u] > rank[best]:
                    best, best_j, reason = u, j, why
            rows.append({"party": role, "statement_id": i, "text": s.text, "uptake": best,
                         "response_id": best_j,
                         "response": report.statements[best_j].text if best_j >= 0 else "",
                         "reason": reason})
            break
    return pd.DataFrame(rows, columns=["party", "statement_id", "text", "uptake", "response_id",
                                       "response", "reason"])


def _minutes(text: str) -> float | None:
    total = 0.0
    found = False
    for m in _DURATION.finditer(text):
        found = True
        if m.group(0).lower() == "half an hour":
            total += 30
            continue
        n = m.group(1).lower()
        v = float(n) if n[0].isdigit() else _NUM.get(n, 1)
        if "and a half" in m.group(0):
            v += 0.5
        total += v * (60 if m.group(2).lower().startswith("h") else 1)
    return total if found else None


def contacts_frame(report: Report) -> "pd.DataFrame":
    """Every contact with a party that the author records, with its duration where given.

    Returns
    -------
    pandas.DataFrame
        Columns ``party, statement_id, contact, minutes, text``.

    Examples
    --------
    >>> import biaslens
    >>> from biaslens.hearing import contacts_frame
    >>> r = biaslens.analyze("I visited Mr Bell at his home for two hours.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> contacts_frame(r)[["party", "contact", "minutes"]].values.tolist()
    [['father', 'home_visit', 120.0]]
    """
    import pandas as pd

    forms = _forms(report)
    child = _child_words(report)
    rows = []
    for i, s in enumerate(report.statements):
        if s.source != "author" or s.label not in ("observation", "other"):
            continue
        if not re.search(r"\b(I|me|my|we|the officer|the writer|the author|the adviser)\b", s.text):
            continue  # a contact is one the author made; "Ms F says she telephoned" is not
        if re.search(r"\b(will|would|should|recommend|propose)\b", s.text):
            continue  # future or recommended contact is not a recorded one
        roles = sorted({r for _, _, r in _mentions(s.text, forms) if r in report.parties})
        if not roles and re.search(r"\b(both parents|each parent|the parents|both parties)\b", s.text, re.I):
            roles = sorted(report.parties)
        if not roles:
            continue
        has_child = bool(child.search(s.text))
        mins = _minutes(s.text)
        for kind, pat in _CONTACT_RX.items():
            if not pat.search(s.text):
                continue
            if kind in ("observed_with_child", "invited_with_child") and not has_child:
                continue
            for r in roles:
                rows.append({"party": r, "statement_id": i, "contact": kind, "minutes": mins,
                             "text": s.text})
    return pd.DataFrame(rows, columns=["party", "statement_id", "contact", "minutes", "text"])


def parity_frame(report: Report) -> "pd.DataFrame":
    """Per party, the number of recorded contacts of each kind and their total minutes.

    One row per party (in the report's order), one column per kind in :data:`CONTACTS`, plus
    ``contacts_total`` and ``contact_minutes``. This is the table behind the assessment-parity
    panel: a child seen at the office with one parent only shows as a 1 against a 0.

    Examples
    --------
    >>> import biaslens
    >>> from biaslens.hearing import parity_frame
    >>> r = biaslens.analyze("I observed Amy with Ms Finch at the office. "
    ...                      "I spoke to Mr Bell by telephone.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> parity_frame(r).loc[["mother", "father"], ["observed_with_child", "telephone"]].values.tolist()
    [[1, 0], [0, 1]]
    """
    import pandas as pd

    cf = contacts_frame(report)
    out = pd.DataFrame(0, index=pd.Index(list(report.parties), name="party"), columns=list(CONTACTS))
    minutes = pd.Series(0.0, index=out.index)
    for role in out.index:
        sub = cf[cf.party == role]
        for kind in CONTACTS:
            out.loc[role, kind] = int((sub.contact == kind).sum())
        # a statement naming two kinds (home visit + observation) counts its minutes once
        minutes[role] = float(sub.drop_duplicates("statement_id").minutes.fillna(0).sum())
    out["contacts_total"] = out[list(CONTACTS)].sum(axis=1)
    out["contact_minutes"] = minutes
    return out


def parity_long(report: Report) -> "pd.DataFrame":
    """Per party and contact kind: how many recorded contacts and their minutes (long format).

    The table behind the assessment-parity panel of :func:`biaslens.plot.attributions`: one
    row per (party, contact kind), every kind of :data:`CONTACTS` for every party, zeros
    included, so a contact recorded with one party and not the other shows as a 1 against a 0.
    ``minutes`` sums the durations given in those statements (NaN when none is given);
    ``gap`` is True on the rows of a kind that another party had and this one did not.

    Examples
    --------
    >>> import biaslens
    >>> from biaslens.hearing import parity_long
    >>> r = biaslens.analyze("I saw Amy with Ms Finch at the office for an hour.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> t = parity_long(r).set_index(["party", "contact"])
    >>> int(t.loc[("mother", "office"), "count"]), int(t.loc[("father", "office"), "count"])
    (1, 0)
    >>> bool(t.loc[("father", "observed_with_child"), "gap"])
    True
    """
    import numpy as np
    import pandas as pd

    cf = contacts_frame(report)
    rows = []
    for role in report.parties:
        for kind in CONTACTS:
            sub = cf[(cf.party == role) & (cf.contact == kind)]
            m = sub.minutes.dropna()
            rows.append({"party": role, "contact": kind, "count": int(len(sub)),
                         "minutes": float(m.sum()) if len(m) else np.nan})
    out = pd.DataFrame(rows, columns=["party", "contact", "count", "minutes"])
    had = out.groupby("contact")["count"].transform("max") > 0
    out["gap"] = had & (out["count"] == 0)
    return out


def party_metrics(report: Report) -> "pd.DataFrame":
    """Per-party hearing metrics, indexed by role, for :meth:`Report.scores`.

    Columns: ``concerns_raised``, ``concerns_addressed_rate``, ``concerns_dismissed_rate``,
    ``concerns_not_revisited_rate`` (NaN with no concern raised), then the parity columns of
    :func:`parity_frame` prefixed ``contacts_`` (``contacts_total``, ``contact_minutes`` as is).

    Examples
    --------
    >>> import biaslens
    >>> from biaslens.hearing import party_metrics
    >>> r = biaslens.analyze("Ms Finch raised concerns about bedtimes at the father's home.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> party_metrics(r).loc["mother", ["concerns_raised", "concerns_not_revisited_rate"]].tolist()
    [1.0, 1.0]
    """
    import numpy as np

    cf = concerns_frame(report)
    pf = parity_frame(report)
    out = pf.rename(columns={k: f"contacts_{k}" for k in CONTACTS})
    n = cf.groupby("party").size().reindex(out.index, fill_value=0)
    out.insert(0, "concerns_raised", n.astype(int))
    for k, u in enumerate(UPTAKE):
        cnt = cf[cf.uptake == u].groupby("party").size().reindex(out.index, fill_value=0)
        out.insert(1 + k, f"concerns_{u}_rate",
                   np.where(n > 0, cnt / n.where(n > 0, 1), np.nan).astype(float))
    return out
