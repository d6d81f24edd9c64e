"""Demo data (演示数据): a deterministic, realistic merchant-credit graph for demos and tests.

``generator.DemoGenerator`` produces the rows; ``seeding.seed_database`` streams them into a
migrated database (the ``credit-gateway seed`` command). See docs/DEMO_DATA.md.
"""
