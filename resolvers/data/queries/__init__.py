"""Batched reads: every function takes many keys and issues one statement."""
