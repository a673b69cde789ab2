"""Who is who: party validation, detection and mention finding.

Rules, not coreference models: coreferee installs here but its English models cannot be
obtained, so parties are resolved with the transparent rules below (documented in the README).

* Explicit ``parties`` are role -> aliases; roles are free names and never imply a gender.
  A role that is itself a kinship word ("mother", "grandmother") also matches "the mother".
* Detection (``parties=None``) links titled names (Mr/Ms/Mrs/Miss/Mx/Dr X) to roles through
  introductions ("Rachel Finch (the mother)", "the father, Mr Bell", "Mr Bell, Amy's father",
  "her son's father"), and uses role words ("the mother", "mum", "dad") on their own.
  A titled name that no introduction links is taken as a party only when it is not introduced
  as a professional; its role then comes from its title (Ms/Mrs/Miss -> mother, Mr -> father)
  only if that role is still free, else ``party_<surname>``.
* Pronouns resolve to a party only when exactly one person of a compatible title is mentioned
  in the same or the previous sentence, and the child is not; otherwise they stay unresolved.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from .errors import Errors, PartiesError, warn

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
FEMALE_TITLES = {"Mrs", "Ms", "Miss"}
MALE_TITLES = {"Mr"}
RESERVED_ROLES = {"author": "the report's author", "child": "the child",
                  "third_party": "anyone else"}
ROLE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

#: kinship words that name a role; values are the role name they give.
ROLE_WORDS = {
    "mother": "mother", "mum": "mother", "mummy": "mother", "father": "father", "dad": "father",
    "daddy": "father", "stepmother": "stepmother", "step-mother": "stepmother",
    "stepfather": "stepfather", "step-father": "stepfather",
    "maternal grandmother": "maternal_grandmother", "paternal grandmother": "paternal_grandmother",
    "maternal grandfather": "maternal_grandfather", "paternal grandfather": "paternal_grandfather",
    "grandmother": "grandmother", "grandfather": "grandfather", "grandma": "grandmother",
    "grandad": "grandfather", "granddad": "grandfather", "nan": "grandmother",
    "aunt": "aunt", "uncle": "uncle",
}
CHILD_WORDS = ("son", "daughter", "child", "children", "sons", "daughters", "baby", "boy", "girl")
PROFESSIONS = (
    "teacher", "headteacher", "head teacher", "health visitor", "gp", "doctor", "social worker",
    "police", "officer", "pc", "dc", "ds", "sergeant", "nurse", "senco", "therapist",
    "psychologist", "psychiatrist", "guardian", "solicitor", "counsel", "barrister", "judge",
    "magistrate", "manager", "worker", "practitioner", "consultant", "paediatrician",
    "midwife", "adviser", "advisor", "fca", "contact supervisor", "supervisor", "coordinator",
    "co-ordinator", "deputy", "head", "principal", "clinician", "counsellor", "mentor", "chair",
)
AUTHOR_PHRASES = ("the officer", "the writer", "the author", "the family court adviser",
                  "the family court advisor", "the fca", "the social worker",
                  "the assessing social worker", "the guardian", "the children's guardian",
                  "the local authority", "the reporter", "the undersigned", "this writer",
                  "the practitioner", "the assessor")
AUTHOR_PRONOUNS = ("i", "me", "my", "myself", "we", "us", "our", "ourselves")

_NAME = r"[A-Z](?:[a-zA-Z-]|['\u2019](?![sS]\b))*"
_TITLED = re.compile(rf"\b(?P<title>{'|'.join(TITLES)})\.?\s+(?P<name>{_NAME}(?:[ -]{_NAME})?)")
_FULL = re.compile(rf"\b(?P<first>{_NAME})\s+(?P<last>{_NAME})\s*\(\s*(?:the\s+)?(?P<role>[a-z -]+?)\s*\)")


def role_word_pattern() -> str:
    words = sorted(ROLE_WORDS, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


_ROLEW = role_word_pattern()
# "Rachel Finch (the mother)", "Ms Finch (mother)"
_INTRO_PAREN = re.compile(rf"(?P<name>(?:(?:{'|'.join(TITLES)})\.?\s+)?{_NAME}(?:\s+{_NAME})?)\s*\(\s*(?:the\s+|[A-Z]\w+'s\s+)?(?P<role>{_ROLEW})\s*\)", re.I)
# the parenthesis alone: found first, so the name pattern (slow under re.I, where any word can
# start a name) only runs on the few characters before each "(the mother)"
_THE_ROLE = re.compile(rf"\bthe ({_ROLEW})\b", re.I)
_PAREN_ROLE = re.compile(rf"\(\s*(?:the\s+|[A-Z]\w+'s\s+)?(?:{_ROLEW})\s*\)", re.I)
_INTRO_PAREN_END = re.compile(_INTRO_PAREN.pattern + r"\Z", re.I)


def _intro_paren(text: str):
    """``_INTRO_PAREN.finditer(text)``, the same matches, found from the parentheses backwards."""
    last_end = 0
    for p in _PAREN_ROLE.finditer(text):
        # a name is at most a title and two words: 120 characters is ample
        start = max(last_end, p.start() - 120)
        m = _INTRO_PAREN_END.search(text, start, p.end())
        if m is not None:
            last_end = m.end()
            yield m
# "the mother, Ms Finch" / "the father Mr Bell" / "Amy's mother, Rachel Finch"
_INTRO_BEFORE = re.compile(rf"\b(?:the|[A-Z][a-z]+'s|(?:[Hh]er|[Hh]is|[Tt]heir)\s+(?:son|daughter|child|children)['\u2019]s|[Hh]er|[Hh]is|[Tt]heir)\s+(?P<role>{_ROLEW}),?\s+(?P<name>(?:(?:{'|'.join(TITLES)})\.?\s+)?{_NAME}(?:\s+{_NAME})?)")
# "Ms Finch, the mother," / "Mr Bell, Amy's father"
_INTRO_AFTER = re.compile(rf"(?P<name>(?:{'|'.join(TITLES)})\.?\s+{_NAME}(?:\s+{_NAME})?),\s+(?:the|[A-Z][a-z]+'s|her|his|their)\s+(?P<role>{_ROLEW})\b")
_CHILD_NAME = re.compile(rf"\b(?P<name>{_NAME})(?:\s+{_NAME})?\s*(?:\(\s*(?:aged\s+)?\d{{1,2}}(?:\s*years?)?\s*\)|,\s*(?:aged|age)\s+\d{{1,2}}|\s+\(born\b|,\s+who is \d{{1,2}})")
_CHILD_AFTER_WORD = re.compile(rf"\b(?:son|daughter|child|grandson|granddaughter),?\s+(?P<name>{_NAME})\b")
_STOP_NAMES = {"The", "This", "He", "She", "They", "It", "In", "On", "At", "I", "We", "Mr", "Ms",
               "Mrs", "Miss", "Mx", "Dr", "Her", "His", "Their", "A", "An", "Court", "Section",
               "Children", "Family", "Cafcass", "When", "If", "As", "During", "Following", "After"}


@dataclass
class PartySet:
    """Roles with their aliases, plus the child's names and each alias's title (for pronouns)."""

    aliases: dict[str, list[str]]
    child: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    gender_of: dict[str, str] = field(default_factory=dict)  # role -> "f" | "m" | "" from titles only
    detected: bool = False
    child_gender: str = ""  # "f" / "m" when the report says son/daughter unambiguously


def validate(parties: object) -> dict[str, list[str]]:
    """Check a user's ``parties`` argument and return a clean copy."""
    if not isinstance(parties, Mapping):
        raise PartiesError(Errors.E004.format(type=type(parties).__name__))
    clean: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for role, aliases in parties.items():
        if not isinstance(role, str) or not ROLE_RE.match(role):
            raise PartiesError(Errors.E005.format(role=role))
        if role in RESERVED_ROLES:
            raise PartiesError(Errors.E007.format(role=role, reserved=RESERVED_ROLES[role]))
        if isinstance(aliases, str):
            aliases = [aliases]
        if (not isinstance(aliases, (list, tuple)) or not aliases
                or not all(isinstance(a, str) and a.strip() for a in aliases)):
            raise PartiesError(Errors.E006.format(role=role, value=aliases))
        out = []
        for a in aliases:
            a = " ".join(a.split())
            key = a.lower()
            if key in owner and owner[key] != role:
                raise PartiesError(Errors.E008.format(alias=a, role_a=owner[key], role_b=role))
            owner[key] = role
            if a not in out:
                out.append(a)
        clean[role] = out
    return clean


def _title_gender(alias: str) -> str:
    first = alias.split()[0].rstrip(".") if alias.split() else ""
    if first in FEMALE_TITLES:
        return "f"
    if first in MALE_TITLES:
        return "m"
    return ""


def _expand(name: str) -> list[str]:
    """'Ms Rachel Finch' -> ['Ms Rachel Finch', 'Rachel Finch', 'Ms Finch']; 'Rachel Finch' -> itself."""
    parts = name.split()
    out = [name]
    if parts and parts[0].rstrip(".") in TITLES and len(parts) == 3:
        out += [f"{parts[1]} {parts[2]}", f"{parts[0]} {parts[2]}"]
    return out


_PROF_ALT = "|".join(re.escape(p) for p in PROFESSIONS)
# one alternation per side instead of two searches per profession (a regex search succeeds if
# any alternative matches anywhere, so this is the same test, ~50x fewer searches)
_PROF_BEFORE = re.compile(rf"\b(?:{_PROF_ALT})\s*,?\s*$")
_PROF_AFTER = re.compile(rf"^\s*(?:,|\()\s*(?:the|a|an|her|his|their|[a-z]+'s)?\s*(?:[a-z]+\s+)?(?:{_PROF_ALT})\b")


def _is_professional(text: str, start: int, end: int) -> bool:
    """Is the titled name at ``text[start:end]`` introduced as a professional ("the teacher, Mrs X")?"""
    before = text[max(0, start - 40):start].lower()
    after = text[end:end + 40].lower()
    return bool(_PROF_BEFORE.search(before) or _PROF_AFTER.search(after))


def detect(text: str) -> PartySet:
    """Detect parties, the child and other named people from the text alone."""
    aliases: dict[str, list[str]] = {}
    gender: dict[str, str] = {}

    def add(role: str, name: str) -> None:
        lst = aliases.setdefault(role, [])
        for a in _expand(name.strip()):
            if a not in lst and a.split()[0] not in _STOP_NAMES - set(TITLES):
                lst.append(a)
        g = _title_gender(name)
        if g and not gender.get(role):
            gender[role] = g

    linked: set[str] = set()
    for found in (_intro_paren(text), _INTRO_BEFORE.finditer(text), _INTRO_AFTER.finditer(text)):
        for m in found:
            name = m.group("name").strip()
            if name.split()[0] in _STOP_NAMES - set(TITLES):
                continue
            role = ROLE_WORDS[m.group("role").lower()]
            add(role, name)
            linked.update(_expand(name))
    # "Daniel Bell" introduced untitled, "Mr Bell" later: the titled form is the same party
    for role, lst in aliases.items():
        for a in list(lst):
            parts = a.split()
            if len(parts) == 2 and parts[0] not in TITLES:
                for m in re.finditer(rf"\b({'|'.join(TITLES)})\.?\s+{re.escape(parts[1])}\b", text):
                    add(role, f"{m.group(1)} {parts[1]}")
    # child names: "Amy (aged 7)", "her daughter, Amy"
    child: list[str] = []
    for rx in (_CHILD_NAME, _CHILD_AFTER_WORD):
        for m in rx.finditer(text):
            n = m.group("name")
            if n not in _STOP_NAMES and n not in child and not any(n in a.split() for al in aliases.values() for a in al):
                child.append(n)
    # titled names not yet linked
    others: list[str] = []
    counts: dict[str, int] = {}
    first_pos: dict[str, int] = {}
    prof: set[str] = set()
    for m in _TITLED.finditer(text):
        title, name = m.group("title"), m.group("name")
        surname = name.split()[-1]
        key = f"{title} {surname}"
        if any(key in _expand(a) or key == a for al in aliases.values() for a in al):
            continue
        counts[key] = counts.get(key, 0) + 1
        first_pos.setdefault(key, m.start())
        if title == "Dr" or _is_professional(text, m.start(), m.end()):
            prof.add(key)
    for key in sorted(counts, key=lambda k: first_pos[k]):
        if key in prof:
            others.append(key)
            continue
        title, surname = key.split(" ", 1)
        role = None
        if title in FEMALE_TITLES and "mother" not in aliases:
            role = "mother"
        elif title in MALE_TITLES and "father" not in aliases:
            role = "father"
        if role is None:
            role = "party_" + re.sub(r"\W", "_", surname.lower())
        add(role, key)
    # bare role words with no name ("the mother said ...")
    # one pass for every "the <role word>": any case, and exactly lower case
    any_case, lower_case = set(), set()
    for m in _THE_ROLE.finditer(text):
        any_case.add(m.group(1).lower())
        if m.group(0).startswith("the ") and m.group(1) in ROLE_WORDS:
            lower_case.add(m.group(1))
    for word, role in ROLE_WORDS.items():
        if role not in aliases and word in any_case:
            if role in ("mother", "father") or word in lower_case:
                aliases[role] = []
    return PartySet(aliases={r: a for r, a in aliases.items()}, child=child, others=others,
                    gender_of=gender, detected=True, child_gender=child_gender(text))


def child_gender(text: str) -> str:
    """'m' if the report only speaks of a son/boy, 'f' for a daughter/girl, '' otherwise."""
    low = text.lower()
    boy = re.search(r"\b(son|boy|grandson)\b", low) is not None
    girl = re.search(r"\b(daughter|girl|granddaughter)\b", low) is not None
    return "m" if boy and not girl else "f" if girl and not boy else ""


def from_given(parties: Mapping[str, list[str]], text: str) -> PartySet:
    """Wrap validated user parties, warning about aliases that never occur."""
    gender = {}
    for role, aliases in parties.items():
        for a in aliases:
            if not re.search(rf"(?<!\w){re.escape(a)}(?!\w)", text):
                warn(Errors.W001.format(alias=a, role=role))
            g = _title_gender(a)
            if g and not gender.get(role):
                gender[role] = g
    det = detect(text)
    given_names = {a.lower() for al in parties.values() for a in al}
    child = [c for c in det.child if c.lower() not in given_names]
    return PartySet(aliases={r: list(a) for r, a in parties.items()}, child=child,
                    others=[o for o in det.others if o.lower() not in given_names],
                    gender_of=gender, detected=False, child_gender=det.child_gender)


def surface_forms(role: str, aliases: list[str]) -> list[str]:
    """Every string that counts as a mention of ``role``: its aliases and its role words."""
    forms = list(aliases)
    words = [w for w, r in ROLE_WORDS.items() if r == role]
    if role in ROLE_WORDS.values() or role.replace("_", " ") in ROLE_WORDS:
        for w in words or [role.replace("_", " ")]:
            # "the mother", "her father", "Amy's dad": the kinship word itself is the mention
            forms += [w, w.capitalize()]
    return forms


def find_mentions(text: str, forms_by_role: Mapping[str, list[str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, role) matches, longest form first."""
    cands = []
    for role, forms in forms_by_role.items():
        for f in set(forms):
            if not f or f not in text:  # most forms (author phrases, role words) never occur
                continue
            for m in re.finditer(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text):
                cands.append((m.start(), m.end(), role))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []
    occupied = bytearray(len(text) + 1)
    for s, e, r in cands:
        if any(occupied[s:e]):
            continue
        occupied[s:e] = b"\x01" * (e - s)
        taken.append((s, e, r))
    taken.sort()
    return taken
