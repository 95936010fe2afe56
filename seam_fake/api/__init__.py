"""The HTTP contract of Seam, over the model: ``dispatch`` answers one request.

``routes`` is the table of simulated Seam endpoints (parse, call the model,
render); ``controls`` the table of seam-fake's own ``/_fake/`` endpoints;
``params`` parses bodies and query strings from the declarations; ``render``
shapes records as Seam's schemas do; ``paging`` cuts lists into pages.
"""
