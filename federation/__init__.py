"""Composition of the credit graph: the embedded gateway's schema (and, later, its subgraphs)."""
