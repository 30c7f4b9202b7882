"""Documents: content-addressed storage, text extraction and OCR, search, citations and dates."""
