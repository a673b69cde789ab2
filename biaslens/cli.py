"""Command line: ``biaslens analyze FILE``. Thin wrappers over the library's functions."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="biaslens: how even-handed is a child-welfare court report?")


def _parse_parties(items: List[str] | None) -> dict[str, list[str]] | None:
    if not items:
        return None
    out: dict[str, list[str]] = {}
    for item in items:
        if "=" not in item:
            raise typer.BadParameter(f"{item!r}: use role=alias, e.g. mother=\"Ms F\"")
        role, alias = item.split("=", 1)
        out.setdefault(role.strip(), []).append(alias.strip().strip('"'))
    return out


@app.command()
def analyze(
    file: Path = typer.Argument(..., help="Report file: .txt, .md, .pdf or .docx"),
    parties: Optional[List[str]] = typer.Option(None, "--parties", "-p", help='role=alias, repeatable: -p mother="Ms F"'),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full analysis as JSON"),
    table: Optional[Path] = typer.Option(None, "--table", help="Write one row per statement as CSV"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write the per-party attributions plot (PNG/SVG/PDF)"),
) -> None:
    """Analyse one report and print a per-party summary."""
    from rich.console import Console
    from rich.table import Table

    from . import analyze as _analyze
    from .readers import read

    console = Console()
    report = _analyze(read(file), parties=_parse_parties(parties))
    t = Table(title=f"biaslens: {file.name}")
    for col in ("party", "about", "observation", "allegation", "opinion", "cues on party"):
        t.add_column(col)
    for role in report.parties:
        about = [s for s in report.statements if role in s.targets]
        t.add_row(role, str(len(about)), *(str(sum(s.label == lab for s in about)) for lab in ("observation", "allegation", "opinion")),
                  str(sum(c.target == role for c in report.cues)))
    console.print(t)
    if json_out:
        report.to_json(str(json_out))
        console.print(f"wrote {json_out}")
    if table:
        from ._io import atomic_write_text

        atomic_write_text(table, report.to_frame().to_csv(index=False))
        console.print(f"wrote {table}")
    if plot:
        import matplotlib

        matplotlib.use("Agg")
        from . import plot as bplot

        ax = bplot.attributions(report)
        plot.parent.mkdir(parents=True, exist_ok=True)
        ax.figure.savefig(plot, dpi=150, bbox_inches="tight")
        console.print(f"wrote {plot}")


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress (never report text)")) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
