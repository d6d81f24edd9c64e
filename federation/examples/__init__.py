"""Examples of subgraphs other owners add to the credit graph (docs/PLATFORM_SUBGRAPH.md)."""
