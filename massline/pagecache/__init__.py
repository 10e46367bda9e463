"""The page cache: whole anonymous public pages, and fragments of staff pages, kept until the data they
show changes.

- ``generations.py``: one counter per *area* of data (``requests``, ``request:<reference>``, ``stats``,
  ``config``, ``consult``, ``monthly``). A cache key includes the counters of the areas it shows, so
  bumping a counter retires every entry that showed that area at once, without finding them.
- ``pages.py``: ``public_page(...)`` wraps a view. An anonymous GET without a session, a message or any
  other cookie is answered from the cache, one entry per language, address and query string; the form
  token (CSRF) is punched out before storing and the visitor's own put back when serving.
- ``invalidation.py``: who bumps what. The workflow's event hook (after commit) for every change to a
  request; saves of consultations, monthly problems, "me too"s and the city's configuration; the
  statistics refresh task.

In Redis when the site has one (settings ``CACHES``), else in each process's memory: there a change is
only seen by the process that made it, so entries live ``MASSLINE_PAGE_CACHE_LOCAL_SECONDS`` (10 s).
See docs/operations.md, "Page cache".
"""
