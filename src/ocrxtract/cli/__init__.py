"""The ``ocrxtract`` command: one module per command group.

This package is the only place that prints and turns typed errors into exit codes (each
:class:`~ocrxtract.errors.OcrxtractError` subclass carries its own).
"""

from ocrxtract.cli.main import app, main

__all__ = ["app", "main"]
