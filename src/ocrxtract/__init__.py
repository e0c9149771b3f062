"""ocrxtract: compare OCR engines on your own documents and extract structured data from them."""

__version__ = "0.1.0"
