"""The web server: SPARQL endpoint, linked-data IRIs, dumps, dataset description, named
queries (``app.create_app``), and the mandate-lineage browser pages (``routers/pages.py``)."""
