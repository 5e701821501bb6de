"""Build: :class:`~mandategraph.core.facts.Facts` of one source -> the N-Triples of its named graph.

``iris`` mints every data IRI; ``vocab`` and ``ntriples`` are the terms and their N-Triples
forms; ``builder`` turns facts into triples; ``catalogue`` builds catalogue files (CSV records)
with the same node code; ``reference_graph`` is the graph of the curated reference bodies.

Import from the module that defines a name: this file imports nothing, so that importing one
module of the stage does not load the others (start-up time of the command line).
"""
