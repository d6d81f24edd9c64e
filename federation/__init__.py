"""The credit graph's schema: the embedded gateway's union (``schema``), who owns which part
(``ownership``), the subgraphs projected from it (``projection``, ``subgraphs``) and their
composition into ``supergraph.graphql`` by real composition libraries (``composition``)."""
