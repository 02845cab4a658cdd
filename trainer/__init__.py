"""`quarry train`: a GPT-2-style decoder trained on a Quarry run's token shards.

PyTorch is optional (`pip install 'quarry[train]'`): `trainer.cli` and `trainer.config`
import without it; the other modules need it.
"""
