"""Import presidio-analyzer without the torch and transformers stack it would load for nothing.

presidio-analyzer 2.2's `nlp_engine` package, on import, (1) imports `transformers.pipeline`
whenever transformers is installed (for its optional TransformersNlpEngine) and (2) picks a
device by importing torch and probing CUDA unless `PRESIDIO_DEVICE` is set. With Quarry's
`train` and `test` extras installed that is about 4 s of a 5 s import on this machine, paid
again by every Beam worker process. Quarry runs presidio only on a spaCy engine on the CPU
(blank, or the spaCy NER model named by `ner_model`), so while presidio is first imported,
transformers is marked unavailable and the device is set to "cpu": presidio then records its
optional engine as missing, as on a machine without transformers. Nothing else changes: a
process that imported transformers before keeps it, one that imports it later gets the real
module, and the environment is restored.
"""
from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

_DEVICE_VAR = "PRESIDIO_DEVICE"


def import_presidio() -> ModuleType:
    """`presidio_analyzer`, imported (once) without transformers and torch when not loaded yet."""
    if "presidio_analyzer" in sys.modules:
        return sys.modules["presidio_analyzer"]
    hide_transformers = "transformers" not in sys.modules
    set_device = _DEVICE_VAR not in os.environ
    if hide_transformers:
        sys.modules["transformers"] = None  # type: ignore[assignment]  # `import transformers` fails
    if set_device:
        os.environ[_DEVICE_VAR] = "cpu"
    try:
        return importlib.import_module("presidio_analyzer")
    finally:
        if hide_transformers and sys.modules.get("transformers", 0) is None:
            del sys.modules["transformers"]
        if set_device:
            os.environ.pop(_DEVICE_VAR, None)
