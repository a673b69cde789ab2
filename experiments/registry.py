"""The experiments that ``python -m experiments reproduce`` runs, in order.

Each name is a module ``experiments/<name>.py`` exposing
``run(*, quick: bool, seed: int, out: pathlib.Path) -> dict``.
"""
EXPERIMENTS: list[str] = [
]
