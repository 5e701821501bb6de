"""The bottom layer: what every stage may import and what imports no stage.

Namespaces (``namespaces``), the packaged asset files (``resources``), the curated reference
tables (``reference``), the extractors' output types (``facts``) and slugs (``slugs``). Nothing
here imports another part of mandategraph except this layer.
"""
