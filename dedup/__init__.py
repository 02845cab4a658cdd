"""Deduplication cores, free of Beam: exact text hashing here; MinHash and decontamination later."""
