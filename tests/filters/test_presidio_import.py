"""presidio is imported without transformers (4 s per worker process), and nothing else changes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
import filters.pii
loaded = 'transformers' in sys.modules
from presidio_analyzer.nlp_engine import huggingface_token_pipe
import transformers  # the real package is still importable afterwards
print(json.dumps({"transformers_loaded_by_pii": loaded, "hf_engine": huggingface_token_pipe.is_available(),
                  "later_import": hasattr(transformers, "PreTrainedTokenizerFast"),
                  "device_env": os.environ.get("PRESIDIO_DEVICE")}))
"""


def test_importing_the_pii_filter_leaves_transformers_alone():
    pytest.importorskip("transformers")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True)
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts == {"transformers_loaded_by_pii": False, "hf_engine": False, "later_import": True,
                     "device_env": None}


TORCH_PROBE = """
import json, sys
{setup}
import thinc.compat
torch_by_import = 'torch' in sys.modules
import torch  # still importable afterwards
from filters.pii import PiiScrubber
print(json.dumps({{"torch_loaded_by_import": torch_by_import, "thinc_has_torch": thinc.compat.has_torch,
                  "later_import": hasattr(torch, "tensor"),
                  "scrubbed": PiiScrubber().scrub("write to ann@example.org").text}}))
"""


def _torch_probe(setup: str) -> dict:
    code = TORCH_PROBE.format(setup=setup)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_pipeline_stage_without_a_ner_model_imports_presidio_without_torch():
    pytest.importorskip("torch")
    facts = _torch_probe("from pipeline.config import PiiStage\nPiiStage().scrubber(None)")
    assert facts == {"torch_loaded_by_import": False, "thinc_has_torch": False, "later_import": True,
                     "scrubbed": "write to <EMAIL>"}


def test_the_pii_filter_imported_as_a_library_keeps_torch_for_spacy_models():
    pytest.importorskip("torch")
    facts = _torch_probe("import filters.pii")
    assert facts == {"torch_loaded_by_import": True, "thinc_has_torch": True, "later_import": True,
                     "scrubbed": "write to <EMAIL>"}
