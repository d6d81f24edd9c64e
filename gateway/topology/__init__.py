"""Running the federated deployment on one machine: subgraph processes, a round-robin balancer,
the Hive Gateway router and (for ``credit-gateway cluster``) PostgreSQL with a read replica and
Redis. The tests start the same pieces."""
