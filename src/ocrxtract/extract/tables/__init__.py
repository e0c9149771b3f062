"""Tables: detection and structure recognition on pages (scanned or born-digital).

:class:`~ocrxtract.extract.tables.extractor.TablesExtractor` (registered as ``tables``) fills
``Page.tables`` from any engine's words and the page image's ruling lines
(:func:`~ocrxtract.extract.tables.geometry.page_tables`).
"""
