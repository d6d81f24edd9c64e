"""An e-commerce platform's own subgraph: shop pages and the platform's rating of each shop,
on the credit graph's ``Subject`` entity keyed by its USCC (docs/PLATFORM_SUBGRAPH.md).

It stands for code a platform writes and runs itself, so it uses nothing of credit-gateway:
only strawberry's federation support, starlette and uvicorn.
"""
