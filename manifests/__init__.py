"""Manifests: the schema of a run's record, building it, and showing it."""
