"""Training is skipped when the model for the current nlu_data/ already exists (named by its hash)."""
from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import time
from pathlib import Path

from ..config import ROOT

log = logging.getLogger(__name__)
NLU_DIR = ROOT / "nlu_data"


def data_hash(nlu_dir: Path = NLU_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in nlu_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(nlu_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_file(models_dir: Path, nlu_dir: Path = NLU_DIR) -> Path:
    return Path(models_dir) / f"nlu-{data_hash(nlu_dir)}.tar.gz"


def train(models_dir: str | Path, force: bool = False, nlu_dir: Path = NLU_DIR,
          config: Path | None = None, keep: int = 3) -> tuple[Path, float | None]:
    """Returns the model path and the training time (None when an up-to-date model existed)."""
    models_dir = Path(models_dir)
    target = model_file(models_dir, nlu_dir)
    if target.exists() and not force:
        return target, None
    from rasa.model_training import train_nlu

    models_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as data:
        normalized_copy(nlu_dir / "nlu", Path(data))
        result = train_nlu(
            config=str(config or nlu_dir / "config.yml"),
            nlu_data=data,
            output=str(models_dir),
            fixed_model_name=target.name[: -len(".tar.gz")],
        )
    if not result:
        raise RuntimeError("Rasa training produced no model; see the log above")
    elapsed = time.monotonic() - started
    target.touch()  # newest by mtime is the one served
    for old in sorted(models_dir.glob("nlu-*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-keep]:
        old.unlink()
    return target, elapsed


_EXAMPLE = re.compile(r"^(\s+- )(.*)$")


def normalized_copy(src: Path, dst: Path) -> None:
    """The model must see text as the bot will hand it over (simplified, half-width, no emoji),
    so training examples go through the same normalisation as live messages."""
    from .normalize import normalize

    for path in src.glob("*.yml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if path.name != "regex.yml":
            lines = [_normalize_line(line, normalize) for line in lines]
        (dst / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _normalize_line(line: str, normalize) -> str:
    m = _EXAMPLE.match(line)
    return f"{m.group(1)}{normalize(m.group(2))}" if m else line
