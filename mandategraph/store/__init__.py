"""Store: one small interface (``interface``), the backends (``oxigraph_store``, ``rdflib_store``,
``remote``), opening by location (``factory``), bulk load of dumps (``bulkload``), push/sync to a
remote store (``push``) and SPARQL parameter binding (``sparql_text``).

Import from the module that defines a name: this file imports nothing, so that importing one
module of the stage does not load the others (start-up time of the command line).
"""
