"""Document templates of the synthetic generator: one module per document type (``render(ctx)``)."""
