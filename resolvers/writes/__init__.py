"""Writes to the credit graph: API keys, validated idempotent record writes, the audit trail.

Data layer: no strawberry, no HTTP. Mutations and the bulk importer both call these services,
so a record written either way passes the same checks and leaves the same audit event.
"""
