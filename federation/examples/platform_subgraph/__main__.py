"""Run the platform subgraph: ``python -m federation.examples.platform_subgraph --port 4201``."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from federation.examples.platform_subgraph.app import SHOPS_FILE, create_app, load_shops


def main() -> None:
    parser = argparse.ArgumentParser(description="An e-commerce platform's subgraph.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4201)
    parser.add_argument("--shops", type=Path, default=SHOPS_FILE,
                        help="JSON file: {USCC: {url, rating}}")
    arguments = parser.parse_args()
    uvicorn.run(create_app(load_shops(arguments.shops)), host=arguments.host,
                port=arguments.port, log_level="warning")


if __name__ == "__main__":
    main()
