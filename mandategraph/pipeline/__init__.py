"""Pipeline: files -> ingest -> extract -> build -> store (``batch``), then the cross-document
passes over the whole store (``linking``: draft -> resolution links).

Import from the module that defines a name: this file imports nothing, so that importing one
module of the stage does not load the others (start-up time of the command line).
"""
