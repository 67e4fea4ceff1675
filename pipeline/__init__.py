"""vanban: OCR and normalisation of scanned Vietnamese government documents."""

__version__ = "0.1.0"
