"""Query to page of results: parsing, ranking, paging, snippets, spelling, related coverage.

Stands on ``store``; never imports ``build``.
"""
