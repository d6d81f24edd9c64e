"""The ``credit-gateway`` command line: serve, migrate, seed."""
