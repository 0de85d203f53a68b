"""Security sector reform study pipeline: validation, indicators, figures and reports."""

__version__ = "0.1.0"
