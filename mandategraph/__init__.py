"""mandategraph: a knowledge graph of United Nations documents keyed by their symbols.

One folder per stage, each importing only the ones below it: core (the bottom layer) <
symbols < ingest < extract < build < store < validate < query < export < pipeline < server <
cli. See docs/architecture.md.
"""

__version__ = "0.1.0"
