"""Validate: SHACL over a store or a graph, by two engines with one outcome type (``report``).

``pyshacl_engine``: pySHACL, the reference, over an rdflib graph. ``sparql_shapes`` and
``sparql_compile`` compile the same shapes to SPARQL; ``sparql_run`` runs the compiled checks
inside the store (in worker processes for an on-disk store); ``sparql_engine`` is its entry
point; ``incremental`` validates one source graph and its neighbourhood.

Import from the module that defines a name: this file imports nothing, so that importing one
module of the stage does not load the others (start-up time of the command line).
"""
