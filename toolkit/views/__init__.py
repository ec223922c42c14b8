"""Views of findings: terminal, xlsx, HTML. Each takes the same data and renders it."""
