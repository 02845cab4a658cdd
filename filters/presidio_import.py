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

spaCy itself imports thinc, and thinc imports torch when it is installed (about 1.5 s alone,
more on a busy machine) only to offer PyTorch-backed layers. A blank pipeline, which is all
the pattern recognizers need, has none. `import_presidio(spacy_torch=False)` hides torch from
that first import as well, so thinc records it as missing *for the rest of the process*: a
spaCy pipeline built on PyTorch (`en_core_web_trf`, spacy-transformers) cannot run there
afterwards. Only callers that know no NER model will be loaded in the process ask for it:
the pipeline's PII stage without `ner_model`, in its workers and in the driver's check.
torch itself stays importable, and a process that imported torch or thinc before is unchanged.
"""
from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

_DEVICE_VAR = "PRESIDIO_DEVICE"


def import_presidio(spacy_torch: bool = True) -> ModuleType:
    """`presidio_analyzer`, imported (once) without transformers and torch when not loaded yet.

    `spacy_torch=False` also keeps torch from thinc (see the module's docstring): for processes
    that will only ever run presidio on a blank spaCy pipeline.
    """
    if "presidio_analyzer" in sys.modules:
        return sys.modules["presidio_analyzer"]
    hidden = ["transformers"]
    if not spacy_torch and "thinc" not in sys.modules:
        hidden.append("torch")
    hidden = [name for name in hidden if name not in sys.modules]
    set_device = _DEVICE_VAR not in os.environ
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    if set_device:
        os.environ[_DEVICE_VAR] = "cpu"
    try:
        return importlib.import_module("presidio_analyzer")
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
        if set_device:
            os.environ.pop(_DEVICE_VAR, None)
