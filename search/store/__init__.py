"""The index folder on disk: its layout, the state a build keeps, and the term index files.

Knows nothing of how a corpus is read (``build``) or how a query is answered
(``serve``); both stand on it.
"""
