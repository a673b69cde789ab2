"""Command line: ``biaslens analyze FILE``. Thin wrappers over the library's functions."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="biaslens: how even-handed is a child-welfare court report?")


def _parse_parties(items: List[str] | None) -> dict[str, list[str]] | None:
    """``["mother=Ms F", "mother=Rachel Finch", "father=Mr B"]`` -> role -> aliases."""
    if not items:
        return None
    out: dict[str, list[str]] = {}
    for item in items:
        role, sep, alias = item.partition("=")
        role, alias = role.strip(), alias.strip().strip('"').strip("'").strip()
        if not sep or not role or not alias:
            raise typer.BadParameter(f"{item!r}: use role=alias, e.g. -p mother=\"Ms F\" "
                                     "(repeat -p for more aliases or parties)",
                                     param_hint="--parties")
        out.setdefault(role, []).append(alias)
    return out


_PLOT_KINDS = ("attributions", "framing", "cues")
#: Rows of the printed summary: short names for a terminal, from render.summary_frame.
_CLI_ROWS = {
    "about": "statements about", "sourced": "sourced by", "observation": "  observation",
    "allegation": "  allegation", "opinion": "  opinion", "distancing": "distancing verbs",
    "neutral": "neutral verbs", "endorsing": "endorsing verbs",
    "failures_presupposed": "failures presupposed", "failures_unsupported": "  of which unsupported",
    "negative_descriptors": "negative descriptors", "positive_descriptors": "positive descriptors",
    "evaluation_as_fact": "evaluation as fact", "mental_health": "mental-health refs",
}


class _CliError(Exception):
    """A user-facing failure: printed as one clean line, exit code 2."""


def _fail(err: Console, message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def _write(console: "Console", path: Path, what: str, writer) -> None:
    from .errors import Errors

    try:
        writer()
    except OSError as exc:
        raise _CliError(Errors.E164.format(path=path, reason=exc.strerror or type(exc).__name__))
    console.print(f"wrote {what}: {escape(str(path))}", highlight=False)


@app.command()
def analyze(
    file: Path = typer.Argument(..., help="Report file: .txt, .md, .pdf or .docx"),
    parties: Optional[List[str]] = typer.Option(None, "--parties", "-p", help='role=alias, repeatable: -p mother="Ms F" -p father="Mr B". Detected from the text when omitted.'),
    html: Optional[Path] = typer.Option(None, "--html", help="Write a self-contained HTML view (highlighted text, per-party table)"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full analysis as JSON"),
    table: Optional[Path] = typer.Option(None, "--table", help="Write one row per statement as CSV"),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Write a Markdown summary"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write a plot (PNG/SVG/PDF), see --plot-kind"),
    plot_kind: str = typer.Option("attributions", "--plot-kind", help="attributions, framing or cues"),
    pseudonymise: bool = typer.Option(False, "--pseudonymise", help="Replace names and identifiers in every written file (not in the plot's counts, which never show text)"),
    n_boot: int = typer.Option(2000, "--n-boot", min=0, help="Bootstrap resamples for the framing asymmetry"),
    seed: int = typer.Option(0, "--seed", help="Seed for the bootstrap"),
) -> None:
    """Analyse one report, print a per-party summary, and write the files asked for."""
    import warnings

    from .errors import BiasLensError, Errors, MissingDependencyError

    console, err = Console(), Console(stderr=True)
    if plot_kind not in _PLOT_KINDS:
        raise typer.BadParameter(f"{plot_kind!r}: choose one of {', '.join(_PLOT_KINDS)}",
                                 param_hint="--plot-kind")
    party_map = _parse_parties(parties)
    try:
        if plot is not None:  # fail before the slow part, not after it
            import matplotlib

            matplotlib.use("Agg")
            from matplotlib.figure import Figure

            suffix = plot.suffix.lower().lstrip(".")
            if suffix not in Figure().canvas.get_supported_filetypes():
                raise _CliError(Errors.E165.format(path=plot, suffix=plot.suffix))
        from . import analyze as _analyze
        from .readers import read

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            text = read(file)
            report = _analyze(text, parties=party_map)
        for w in caught:  # a warning is advice to the user, not a stack location
            err.print(f"[yellow]warning:[/] {escape(str(w.message))}", highlight=False, soft_wrap=True)
        _print_summary(console, file, report, n_boot=n_boot, seed=seed)
        shared = report.pseudonymise() if pseudonymise and (json_out or table or html or markdown) else report
        if json_out:
            _write(console, json_out, "JSON", lambda: shared.to_json(str(json_out)))
        if table:
            from ._io import atomic_write_text

            _write(console, table, "table",
                   lambda: atomic_write_text(table, shared.to_frame().to_csv(index=False)))
        if html:
            _write(console, html, "HTML", lambda: shared.to_html(str(html)))
        if markdown:
            from ._io import atomic_write_text

            _write(console, markdown, "Markdown",
                   lambda: atomic_write_text(markdown, shared.to_markdown()))
        if plot:
            _write(console, plot, f"{plot_kind} plot",
                   lambda: _save_plot(report, plot, plot_kind, n_boot=n_boot, seed=seed))
    except _CliError as exc:
        _fail(err, str(exc))
    except (BiasLensError, MissingDependencyError) as exc:
        # Reader errors already start with the file name; others do not.
        msg = str(exc)
        _fail(err, msg if msg.startswith(str(file)) else f"{file}: {msg}")


def _print_summary(console: "Console", file: Path, report, *, n_boot: int, seed: int) -> None:
    from rich.table import Table

    from .render import summary_frame

    labels = {lab: sum(s.label == lab for s in report.statements)
              for lab in ("observation", "allegation", "opinion", "other")}
    df = summary_frame(report)
    t = Table(title=f"biaslens: {escape(file.name)}", caption=(
        f"{len(report.statements)} statements (" + ", ".join(f"{n} {k}" for k, n in labels.items())
        + f"), {len(report.cues)} cues"))
    t.add_column("")
    for role in df.index:
        t.add_column(escape(str(role)), justify="right")
    for col, name in _CLI_ROWS.items():
        t.add_row(name, *(str(int(v)) for v in df[col]))
    console.print(t)
    if len(report.parties) >= 2:
        fa = report.asymmetry(n_boot=n_boot, seed=seed)
        ci = "" if n_boot == 0 else f" (95% interval {fa.ci[0]:+.3f} to {fa.ci[1]:+.3f})"
        console.print(f"framing asymmetry {fa.a} vs {fa.b}: {fa.value:+.3f}{ci}; "
                      f"> 0 means {fa.a} is framed worse", highlight=False)
    elif not report.parties:
        console.print("no parties identified: name them with -p role=alias", highlight=False)


def _save_plot(report, path: Path, kind: str, *, n_boot: int, seed: int) -> None:
    import matplotlib.pyplot as plt

    from . import plot as bplot

    if kind == "framing":
        ax = bplot.framing(report, n_boot=n_boot, seed=seed)
    else:
        ax = getattr(bplot, kind)(report)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ax.figure.savefig(path, dpi=150, bbox_inches="tight")
    finally:
        plt.close(ax.figure)


@app.command()
def compare(
    file: Path = typer.Argument(..., help="Report file: .txt, .md, .pdf or .docx"),
    source: Optional[List[str]] = typer.Option(None, "--source", "-s", help="name=path, repeatable: --source interview=notes.docx"),
    parties: Optional[List[str]] = typer.Option(None, "--parties", "-p", help='role=alias, repeatable: -p mother="Ms F"'),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Write the side-by-side HTML view"),
    pseudonymise_out: bool = typer.Option(False, "--pseudonymise", help="Replace names and identifiers in the report and sources before comparing"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full comparison as JSON"),
) -> None:
    """Hold a report to its sources: status of each attributed statement, omissions per party."""
    import json as _json

    from rich.console import Console
    from rich.table import Table

    from .errors import BiasLensError, Errors
    from .readers import read
    from .sources import STATUSES
    from .sources import compare as _compare

    console, err = Console(), Console(stderr=True)
    try:
        if not source:
            raise _CliError(Errors.E220.format(type="no --source"))
        paths: dict[str, Path] = {}
        for item in source:
            name, sep, path = item.partition("=")
            if not sep or not name.strip() or not path.strip():
                raise _CliError(Errors.E226.format(value=item))
            if name.strip() in paths:
                raise _CliError(Errors.E227.format(name=name.strip()))
            paths[name.strip()] = Path(path.strip())
        # read everything before computing anything: nothing half-computed is written
        report_text = read(file)
        texts = {n: read(p) for n, p in paths.items()}
        chk = _compare(report_text, texts, parties=_parse_parties(parties),
                       pseudonymise=pseudonymise_out)
    except (_CliError, BiasLensError) as exc:
        _fail(err, str(exc))
    t = Table(title=f"biaslens compare: {file.name}")
    for col in ("status", "statements"):
        t.add_column(col)
    for s in STATUSES:
        t.add_row(s, str(chk.status_counts()[s]))
    console.print(t)
    for role, v in chk.omission_shares.items():
        console.print(f"{role}: {v['omitted']}/{v['passages']} source passages omitted", highlight=False)
    try:
        if html_out:
            _write(console, html_out, "HTML", lambda: chk.to_html(str(html_out)))
        if json_out:
            from ._io import atomic_write_text

            _write(console, json_out, "JSON",
                   lambda: atomic_write_text(json_out, _json.dumps(chk.to_dict(), indent=2, ensure_ascii=False)))
    except _CliError as exc:
        _fail(err, str(exc))


@app.command()
def score(
    inputs: List[Path] = typer.Argument(..., help="Report files and/or folders (.txt, .md, .pdf, .docx)"),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (reports, statements, errors.jsonl, run.json)"),
    parties_file: Optional[Path] = typer.Option(None, "--parties-file", help="Manifest CSV/JSONL: path, role, aliases ('|'-separated in CSV)"),
    n_process: int = typer.Option(1, "--n-process", "-j", help="Processes for spaCy's nlp.pipe"),
    fmt: str = typer.Option("parquet", "--format", help="parquet, csv or jsonl"),
    pseudonymise: bool = typer.Option(False, "--pseudonymise", help="Replace identifiers in the outputs"),
    key: Optional[str] = typer.Option(None, "--key", envvar="BIASLENS_KEY", help="Secret for placeholders stable across the corpus"),
    seed: int = typer.Option(0, "--seed"),
    n_boot: int = typer.Option(500, "--n-boot", help="Bootstrap resamples per report"),
    chunk_size: int = typer.Option(32, "--chunk-size", help="Reports per checkpoint"),
) -> None:
    """Score many reports into OUT, resumably: a rerun skips reports already scored."""
    import sys

    from rich.console import Console

    from .batch import score_to_dir
    from .errors import BiasLensError

    console = Console(stderr=True)
    try:
        rec = score_to_dir(inputs, out, parties_file=parties_file, n_process=n_process, fmt=fmt,
                           pseudonymise=pseudonymise, key=key, seed=seed, n_boot=n_boot,
                           chunk_size=chunk_size, progress=sys.stderr.isatty())
    except BiasLensError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    c = rec["counts"]
    console.print(f"{c['reports']} reports ({c['scored_this_run']} new, {c['resumed']} resumed), "
                  f"{c['statements']} statements, {c['errors']} errors -> {out}")


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress (never report text)")) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
