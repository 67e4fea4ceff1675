"""Training, evaluation and benchmark helpers: corpus reading, page rendering + OCR, model fitting.

Used by ``scripts/`` and the tests only; nothing at run time imports this package.
"""
