"""Which model the `model` setting means on this machine, and why.

"auto" (the default) is the coder tier when a CUDA or MPS device is there to run it and the
tier is installed, else the embedded model: the coder's answers are much better, but on a
small CPU it is far slower. A tier name ("coder") is its installed GGUF; anything else (a
path, a Hugging Face id) is passed on unchanged. Devices are detected without importing torch
(the client never does): the NVIDIA driver's /proc entries and whether the installed torch
was built with CUDA; Apple silicon for MPS.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from nlsh.backends import ModelUnavailable
from nlsh.models import store, tiers

AUTO = "auto"


@dataclass(frozen=True)
class ModelChoice:
    setting: str  # what was asked for ("auto", "coder", a path, …)
    model: str  # what the backend loads: "embedded", a .gguf path, a directory or an id
    tier: str | None  # the tier it is, when it is one
    reason: str  # why, in a few words ("" when the setting named it directly)


def choose(setting: str, device: str = "auto") -> ModelChoice:
    """What `setting` resolves to. Raises ModelUnavailable for a tier that is not installed."""
    if setting == AUTO:
        return _auto(device)
    tier = tiers.find_tier(setting)
    if tier is None:
        return ModelChoice(setting, setting, None, "")
    if tier.packaged_in:
        return ModelChoice(setting, setting, tier.name, "")
    present = store.installed(tier)
    if present is None:
        raise ModelUnavailable(f"the {tier.name} model is not installed: "
                               f"run nlsh model pull {tier.name}")
    return ModelChoice(setting, present.path, tier.name, "")


def resolve_model(setting: str, device: str = "auto") -> str:
    """The `model` value a backend understands ("embedded", a path, an id)."""
    return choose(setting, device).model


def model_identity(setting: str, device: str = "auto") -> str:
    """What the setting loads, for telling daemons apart; never raises (a tier that is not
    installed stays its name, and loading it gives the clear error)."""
    try:
        return resolve_model(setting, device)
    except ModelUnavailable:
        return setting


def _auto(device: str) -> ModelChoice:
    coder = tiers.find_tier("coder")
    installed = coder is not None and store.installed(coder) is not None
    accelerator = None if device == "cpu" else accelerator_found(device)
    if device == "cpu":
        why = "device = cpu"
    elif accelerator is None:
        why = "no CUDA or MPS device, and the coder tier is slow on a CPU"
    elif not installed:
        why = f"{accelerator}, but the coder tier is not installed (nlsh model pull coder)"
    else:
        assert coder is not None
        path = store.model_path(coder)
        return ModelChoice(AUTO, str(path), coder.name, f"{accelerator} and the coder tier "
                                                        "is installed")
    if installed and accelerator is None:
        why += "; it is installed: nlsh model use coder runs it anyway"
    return ModelChoice(AUTO, "embedded", "embedded", why)


def accelerator_found(device: str = "auto") -> str | None:
    """A usable GPU, in words ("CUDA device NVIDIA H100"), or None."""
    if device in ("auto", "mps") and _apple_silicon():
        return "MPS device (Apple silicon)"
    if device in ("auto", "cuda"):
        gpu = cuda_device_name()
        if gpu is None:
            return None
        built = torch_cuda_build()
        if built is False:
            return None
        return f"CUDA device {gpu}"
    return None


def _apple_silicon() -> bool:
    return sys.platform == "darwin" and platform.machine() == "arm64"


def cuda_device_name() -> str | None:
    """The first NVIDIA GPU the driver lists (and CUDA_VISIBLE_DEVICES does not hide)."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None and visible.strip() in ("", "-1"):
        return None
    listing = Path("/proc/driver/nvidia/gpus")
    try:
        gpus = sorted(listing.iterdir())
    except OSError:
        gpus = []
    for gpu in gpus:
        try:
            text = (gpu / "information").read_text(errors="replace")
        except OSError:
            continue
        match = re.search(r"^Model:\s*(.+)$", text, re.M)
        return match.group(1).strip() if match else "NVIDIA GPU"
    if any(Path("/dev").glob("nvidia[0-9]*")):
        return "NVIDIA GPU"
    return None


def torch_cuda_build() -> bool | None:
    """Whether the installed torch was built with CUDA (or ROCm), read from its version file
    without importing it; None when torch is not installed here (the daemon may be elsewhere)."""
    try:
        spec = importlib.util.find_spec("torch")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    try:
        text = (Path(spec.origin).parent / "version.py").read_text()
    except OSError:
        return None
    built = re.search(r"^(?:cuda|hip)\s*(?::[^=]*)?=\s*'[^']+'", text, re.M)
    return built is not None
