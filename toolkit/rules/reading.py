"""Findings raised while reading a file, not by a rule over the record (PARSE-VALUE,
OCR-LOW-CONFIDENCE, OCR-PAGE-QUALITY): declared in the rule table (``rules.yaml``, scope ``reading``) so that
``ictk rules`` explains every code a report can carry. The reader and the OCR raise them."""
