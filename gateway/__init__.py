"""The HTTP edge of credit-gateway: ASGI app, settings and the ``credit-gateway`` CLI."""
