"""Train the Rasa NLU model when, and only when, its inputs changed.

A model is named after a fingerprint of its inputs (config, domain, data, jieba dictionary),
so "is the model current?" is a file lookup, robust against checkouts that touch mtimes.
Run as ``python -m nlu.training`` (what ``make nlu-train`` does); prints the model path.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent / "rasa"
MODELS = PROJECT / "models"
RASA = Path(__file__).resolve().parent.parent / ".venv-rasa" / "bin" / "rasa"
KEEP_MODELS = 3


def inputs() -> list[Path]:
    """Every file the model is trained from, in a stable order."""
    files = [PROJECT / "config.yml", PROJECT / "domain.yml", *sorted(PROJECT.glob("anxin_*.py"))]
    for folder in ("data", "jieba"):
        files += sorted(p for p in (PROJECT / folder).rglob("*") if p.is_file())
    return files


def fingerprint() -> str:
    """A short hash of the inputs' names and contents."""
    digest = hashlib.sha256()
    for path in inputs():
        digest.update(str(path.relative_to(PROJECT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path() -> Path:
    """Where the model for the current inputs is (or will be) stored."""
    return MODELS / f"anxin-nlu-{fingerprint()}.tar.gz"


def ensure_model(rasa: Path = RASA) -> Path:
    """Train the model unless one for the current inputs exists; return its path."""
    target = model_path()
    if target.exists():
        return target
    if not rasa.exists():
        raise SystemExit(f"Rasa is not installed at {rasa}: run `make install` first")
    print(f">>> training the NLU model ({target.name}); this takes a few minutes", flush=True)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    subprocess.run(
        [
            str(rasa),
            "train",
            "nlu",
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
            "--out",
            str(MODELS),
        ],
        cwd=PROJECT,
        env=env,
        check=True,
    )
    _prune_old_models(keep=target)
    return target


def _prune_old_models(keep: Path) -> None:
    models = sorted(MODELS.glob("anxin-nlu-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in [m for m in models if m != keep][: max(0, len(models) - KEEP_MODELS)]:
        old.unlink()


if __name__ == "__main__":
    print(ensure_model(), file=sys.stdout)
