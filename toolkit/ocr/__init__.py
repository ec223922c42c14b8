"""Offline OCR of scanned forms (extra ``ocr``): deskew, table grid, seal detection."""
