"""Strawberry types of the credit graph, one module per record family."""
