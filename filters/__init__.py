"""Beam-free document judges and transforms; today the shared text normalization."""
