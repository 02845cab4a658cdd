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
