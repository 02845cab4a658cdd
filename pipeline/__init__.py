"""Quarry's Beam pipeline: job config, sources, stages, sinks and the CLI."""

__version__ = "0.1.0"
