"""mandategraph: a knowledge graph of United Nations documents keyed by their symbols.

Pipeline stages, one module each: symbols -> ingest -> extract -> build -> store ->
validate -> query -> export (and remote, cli). See docs/architecture.md.
"""

__version__ = "0.1.0"
