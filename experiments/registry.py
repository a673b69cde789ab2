"""The experiments that ``python -m experiments reproduce`` runs, in order.

Each name is a module ``experiments/<name>.py`` exposing
``run(*, quick: bool, seed: int, out: pathlib.Path) -> dict``.
"""
EXPERIMENTS: list[str] = [
    "pseudonymise_eval",
    "tagger_eval",
    "agreement",
    "finetune_eval",  # full run only: minutes of CPU fine-tuning
    "sources_eval",
    "cue_eval",
    "corpus_asymmetry",
    "bench_tagger",
    "bench_framing",
    "bench_sources",
    "bench_batch",
    "figures",  # last: drawn from the result files above
]
