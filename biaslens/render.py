"""Views of a :class:`~biaslens.report.Report` for people: HTML (Jupyter and files) and Markdown.

The HTML is self-contained and works offline: inline ``style`` attributes only (no
stylesheet, font or script is fetched, and none is embedded), tooltips through the ``title``
attribute. Inline styles rather than a ``<style>`` block because notebook viewers such as
GitHub's strip ``<style>`` elements, and because a report view must look the same wherever it
is pasted. Every piece of report text is HTML-escaped: reports are pasted from documents and
can contain anything, including ``<script>``.

Report text is shown here on purpose (this is the view a reader asked for); nothing in this
module logs it.
"""
from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

from .about import __version__
from .plot import LABEL_COLOURS, role_colour
from .report import LABELS, Cue, Report, Statement

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

logger = logging.getLogger("biaslens")

__all__ = ["summary_frame", "repr_html", "to_html", "to_markdown", "SUMMARY_COLUMNS"]

#: Columns of :func:`summary_frame` and where each comes from in :func:`biaslens.framing.scores`.
SUMMARY_COLUMNS = {
    "about": "statements_about",
    "sourced": "statements_sourced",
    "observation": "n_observation_share",
    "allegation": "n_allegation_share",
    "opinion": "n_opinion_share",
    "distancing": "n_distancing_rate",
    "neutral": "n_neutral_rate",
    "endorsing": "n_endorsing_rate",
    "failures_presupposed": None,  # supported + unsupported
    "failures_unsupported": "presupposed_failures_unsupported",
    "negative_descriptors": "n_negative_descriptor_rate",
    "positive_descriptors": "n_positive_descriptor_rate",
    "evaluation_as_fact": "n_negative_evaluation_as_fact_rate",
    "mental_health": "n_mental_health_rate",
}
_HEADERS = {
    "about": "statements about",
    "sourced": "sourced by",
    "observation": "observation",
    "allegation": "allegation",
    "opinion": "opinion",
    "distancing": "distancing verbs",
    "neutral": "neutral verbs",
    "endorsing": "endorsing verbs",
    "failures_presupposed": "failures presupposed",
    "failures_unsupported": "of which unsupported",
    "negative_descriptors": "negative descriptors",
    "positive_descriptors": "positive descriptors",
    "evaluation_as_fact": "evaluation as fact",
    "mental_health": "mental-health refs",
}
_CUE_NAMES = {"unsupported_presupposition": "unsupported presupposition"}
_FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"


def summary_frame(report: Report) -> "pd.DataFrame":
    """The per-party summary shown on top of the HTML view, in Markdown and by the CLI.

    Counts only, one row per party (and the child when the report has one), taken from
    :func:`biaslens.framing.scores` so every view agrees with the scores: statements about
    and sourced by the party, the labels of the statements about them, how their accounts
    were introduced, presupposed failures (and how many presuppose a request recorded
    nowhere), descriptors, evaluations stated as fact and mental-health references, all in
    the author's voice where :mod:`biaslens.framing` says so.

    Examples
    --------
    >>> import biaslens
    >>> from biaslens.render import summary_frame
    >>> r = biaslens.analyze("Ms Finch claims that Mr Bell shouted.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> int(summary_frame(r).loc["mother", "distancing"])
    1
    """
    import pandas as pd

    from .framing import scores

    s = scores(report)
    out = pd.DataFrame(index=s.index)
    for col, src in SUMMARY_COLUMNS.items():
        if src is None:
            out[col] = s["presupposed_failures_supported"] + s["presupposed_failures_unsupported"]
        else:
            out[col] = s[src]
    return out.astype(int)


# -- HTML -------------------------------------------------------------------------------------
def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _cue_tooltip(c: Cue) -> str:
    name = _CUE_NAMES.get(c.category, c.category.replace("_", " "))
    who = c.target or "no party (unbound)"
    voice = "author's voice" if c.voice == "author" else f"{c.voice} voice"
    lines = [f"{name} \u2192 {who} ({voice})"]
    if c.category == "unsupported_presupposition":
        lines.append(f"evidence search: {c.note or 'no search recorded'}")
    elif c.note:
        lines.append(f"bound by: {c.note}")
    return "\n".join(lines)


def _cue_style(cs: list[Cue]) -> str:
    first = next((c for c in cs if c.target), cs[0])
    colour = role_colour(first.target) if first.target else "#888888"
    if any(c.category == "unsupported_presupposition" for c in cs):
        style = "wavy"
    elif len(cs) > 1:
        style = "double"
    elif not first.target:
        style = "dotted"
    else:
        style = "solid"
    return (f"text-decoration-line:underline;text-decoration-style:{style};"
            f"text-decoration-color:{colour};text-decoration-thickness:2px;"
            "text-underline-offset:3px;cursor:help")


def _statement_html(text: str, s: Statement, start: int, end: int) -> str:
    """One statement's text ``text[start:end]`` with its cues underlined."""
    cues = [c for c in s.cues if c.end > start and c.start < end and c.end > c.start]
    cuts = sorted({start, end, *(max(start, min(end, c.start)) for c in cues),
                   *(max(start, min(end, c.end)) for c in cues)})
    parts = []
    for x, y in zip(cuts, cuts[1:]):
        seg = _e(text[x:y])
        over = [c for c in cues if c.start <= x and c.end >= y]
        if not over:
            parts.append(seg)
            continue
        cats = " ".join(sorted({c.category for c in over}))
        tip = "\n".join(_cue_tooltip(c) for c in over)
        parts.append(f'<span class="bl-cue" data-category="{_e(cats)}" '
                     f'data-party="{_e(" ".join(sorted({c.target or "" for c in over})).strip())}" '
                     f'title="{_e(tip)}" style="{_cue_style(over)}">{seg}</span>')
    tip = (f"{s.label} \u00b7 source: {s.source} \u00b7 about: {', '.join(s.targets) or 'no party'}"
           f" \u00b7 confidence {s.confidence:.2f}")
    bg = LABEL_COLOURS.get(s.label, "#FFFFFF")
    style = f"background:{bg};border-radius:3px;padding:1px 0" if s.label != "other" else "color:#555"
    return (f'<span class="bl-stmt bl-{_e(s.label)}" data-label="{_e(s.label)}" '
            f'title="{_e(tip)}" style="{style}">{"".join(parts)}</span>')


def _text_html(report: Report) -> str:
    text = report.text
    out, pos = [], 0
    for s in sorted(report.statements, key=lambda s: (s.start, s.end)):
        start, end = max(s.start, pos), min(s.end, len(text))
        if end <= start:  # overlapping or empty statement: its text is already shown
            continue
        out.append(_e(text[pos:start]))
        out.append(_statement_html(text, s, start, end))
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


#: Two-row header of the HTML summary table: (group, [(column, short name)]).
_GROUPS = (
    ("statements", [("about", "about"), ("sourced", "sourced by")]),
    ("labels of statements about", [("observation", "obs."), ("allegation", "alleg."),
                                    ("opinion", "opinion")]),
    ("accounts introduced as", [("distancing", "distancing"), ("neutral", "neutral"),
                                ("endorsing", "endorsing")]),
    ("failures presupposed", [("failures_presupposed", "all"),
                              ("failures_unsupported", "unsupported")]),
    ("descriptors", [("negative_descriptors", "negative"), ("positive_descriptors", "positive")]),
    ("evaluation", [("evaluation_as_fact", "as fact")]),
    ("mental health", [("mental_health", "refs")]),
)


def _summary_html(report: Report) -> str:
    df = summary_frame(report)
    th = "padding:2px 7px;text-align:right;font-weight:600"
    td = "padding:2px 7px;border-bottom:1px solid #E5E5E5;text-align:right"
    top = "".join(f'<th colspan="{len(cols)}" style="{th};text-align:center;'
                  f'border-bottom:1px solid #CCC;font-weight:500;color:#444">{_e(g)}</th>'
                  for g, cols in _GROUPS)
    order = [c for _, cols in _GROUPS for c, _ in cols]
    sub = "".join(f'<th style="{th};border-bottom:1px solid #999" title="{_e(_HEADERS[c])}">'
                  f'{_e(n)}</th>' for _, cols in _GROUPS for c, n in cols)
    rows = []
    for role, row in df[order].iterrows():
        cells = "".join(f'<td style="{td}">{int(v)}</td>' for v in row)
        rows.append(f'<tr data-party="{_e(role)}"><th style="{th};text-align:left;'
                    f'color:{role_colour(str(role))};border-bottom:1px solid #E5E5E5">'
                    f'{_e(role)}</th>{cells}</tr>')
    if not rows:
        rows.append(f'<tr><td colspan="{len(order) + 1}" style="{td};text-align:left">'
                    'no parties in this report</td></tr>')
    return ('<div style="overflow-x:auto">'
            '<table class="bl-summary" style="border-collapse:collapse;font-size:0.82em;'
            f'margin:0.5em 0 0.2em 0"><thead><tr><th style="{th}"></th>{top}</tr>'
            f'<tr><th style="{th};text-align:left;border-bottom:1px solid #999">party</th>{sub}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div>'
            '<div style="font-size:0.75em;color:#666;margin-bottom:0.6em">Counts of statements '
            '(verbs for "accounts introduced"). Failures, descriptors, evaluations and '
            "mental-health references count in the author's voice only.</div>")


def _legend_html() -> str:
    sw = "display:inline-block;padding:0 6px;margin-right:6px;border-radius:3px"
    labels = "".join(f'<span style="{sw};background:{LABEL_COLOURS[lab]};'
                     f'{"border:1px solid #CCC;" if lab == "other" else ""}">{lab}</span>'
                     for lab in LABELS)
    u = "text-decoration-line:underline;text-decoration-thickness:2px;text-underline-offset:3px"
    cues = (f'<span style="{u};text-decoration-style:solid">cue</span>, '
            f'<span style="{u};text-decoration-style:double">several cues</span>, '
            f'<span style="{u};text-decoration-style:wavy">unsupported presupposition</span>, '
            f'<span style="{u};text-decoration-style:dotted;text-decoration-color:#888">bound to no party</span>'
            " (underlined in the party's colour; hover for details)")
    return (f'<div class="bl-legend" style="font-size:0.8em;color:#333;margin:0.3em 0 0.8em 0">'
            f'<div>statements: {labels}</div><div style="margin-top:4px">{cues}</div></div>')


def _body(report: Report, *, max_height: str | None) -> str:
    labels = {lab: sum(s.label == lab for s in report.statements) for lab in LABELS}
    parties = ", ".join(
        f'<span style="color:{role_colour(r)};font-weight:600">{_e(r)}</span>' for r in report.parties
    ) or "none identified"
    head = (f'<div style="font-size:0.9em;color:#333;margin-bottom:0.3em"><b>biaslens</b> '
            f'\u00b7 {len(report.statements)} statements ('
            + ", ".join(f"{n} {lab}" for lab, n in labels.items()) +
            f') \u00b7 {len(report.cues)} cues \u00b7 parties: {parties}</div>')
    scroll = f"max-height:{max_height};overflow-y:auto;" if max_height else ""
    text = (f'<div class="bl-text" style="white-space:pre-wrap;line-height:1.7;font-size:0.95em;'
            f'{scroll}border-top:1px solid #DDD;padding-top:0.6em">{_text_html(report)}</div>')
    return (f'<div class="biaslens-report" style="{_FONT};color:#111;max-width:60em">'
            f'{head}{_summary_html(report)}{_legend_html()}{text}</div>')


def repr_html(report: Report) -> str:
    """The view Jupyter shows for a report: summary table, legend, highlighted text.

    Statements are tinted by label; cues are underlined in the colour of the party they bear
    on, with a tooltip giving category, party, voice and, for an unsupported presupposition,
    the evidence search that found no recorded request. Long reports scroll inside the cell.

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("Ms Finch was hostile.", parties={"mother": ["Ms Finch"]})
    >>> "bl-cue" in r._repr_html_()
    True
    """
    return _body(report, max_height="36em")


def to_html(report: Report, path: str | None = None, *, pseudonymise: bool = False,
            key: str | bytes | None = None) -> str:
    """A self-contained HTML page of the report view, written atomically to ``path`` if given.

    Parameters
    ----------
    report : Report
    path : str or path-like, optional
    pseudonymise : bool
        Show the pseudonymised report (:meth:`Report.pseudonymise`) instead; do this before
        sharing a view outside the team that holds the report.
    key : str or bytes, optional
        Key for the pseudonyms (same key, same placeholders).

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("Ms Finch said <b>no</b>.", parties={"mother": ["Ms Finch"]})
    >>> page = r.to_html()
    >>> page.startswith("<!DOCTYPE html>"), "<b>" in page
    (True, False)
    """
    rep = report.pseudonymise(key=key) if pseudonymise else report
    note = " \u00b7 pseudonymised" if pseudonymise else ""
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"biaslens {_e(__version__)}\">\n"
            "<title>biaslens report view</title>\n</head>\n"
            "<body style=\"margin:2em auto;padding:0 1em;max-width:62em;background:#fff\">\n"
            f"{_body(rep, max_height=None)}\n"
            f"<p style=\"{_FONT};font-size:0.75em;color:#777;margin-top:2em\">Generated by "
            f"biaslens {_e(__version__)}{note}. Findings are candidates for a person to review, "
            "never conclusions.</p>\n</body>\n</html>\n")
    if path is not None:
        from ._io import atomic_write_text

        atomic_write_text(path, page)
        logger.info("wrote an HTML view of %d statements to %s", len(rep.statements), path)
    return page


# -- Markdown ---------------------------------------------------------------------------------
_MD_SPECIAL = "\\`*_[]<>|#~!"


def _md(text: str) -> str:
    """Escape report text for Markdown: no emphasis, links, tables or raw HTML can form."""
    out = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in " ".join(str(text).split()))
    return out.replace("&", "&amp;")


def to_markdown(report: Report, *, pseudonymise: bool = False,
                key: str | bytes | None = None) -> str:
    """A Markdown summary: the per-party table, then every statement that carries a cue.

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("Ms Finch was hostile.", parties={"mother": ["Ms Finch"]})
    >>> print(r.to_markdown().splitlines()[0])
    # biaslens summary
    """
    rep = report.pseudonymise(key=key) if pseudonymise else report
    df = summary_frame(rep)
    labels = {lab: sum(s.label == lab for s in rep.statements) for lab in LABELS}
    lines = ["# biaslens summary", ""]
    lines.append(f"{len(rep.statements)} statements ("
                 + ", ".join(f"{n} {lab}" for lab, n in labels.items())
                 + f"), {len(rep.cues)} framing cues; parties: "
                 + (", ".join(_md(r) for r in rep.parties) or "none identified")
                 + (". Pseudonymised." if pseudonymise else "."))
    lines += ["", "## Per party", ""]
    lines.append("| party | " + " | ".join(_HEADERS[c] for c in df.columns) + " |")
    lines.append("|---|" + "---:|" * len(df.columns))
    for role, row in df.iterrows():
        lines.append(f"| {_md(role)} | " + " | ".join(str(int(v)) for v in row) + " |")
    flagged = [(i, s) for i, s in enumerate(rep.statements) if s.cues]
    lines += ["", "## Statements with framing cues", ""]
    if not flagged:
        lines.append("No framing cues found.")
    for i, s in flagged:
        about = ", ".join(_md(t) for t in s.targets) or "no party"
        lines.append(f"- **{s.label}** (statement {i}; source {_md(s.source)}; about {about}): "
                     f"\u201c{_md(s.text)}\u201d")
        for c in s.cues:
            voice = "author's voice" if c.voice == "author" else f"{_md(c.voice)} voice"
            extra = ""
            if c.category == "unsupported_presupposition" and c.note:
                extra = f"; evidence search: {_md(c.note)}"
            lines.append(f"  - `{c.category}` \u2192 {_md(c.target or 'no party')} "
                         f"({voice}): \u201c{_md(c.text)}\u201d{extra}")
    lines += ["", f"_Generated by biaslens {__version__}. Findings are candidates for a person "
              "to review, never conclusions._", ""]
    return "\n".join(lines)
