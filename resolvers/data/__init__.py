"""Data access: sqlmodel tables, the async engine and the queries loaders batch into.

Nothing here imports strawberry or reads HTTP; it speaks rows and keys.
"""
