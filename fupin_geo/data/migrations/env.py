"""Alembic's entry point: migrations always run on a connection handed over by __init__.upgrade."""
from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through fupin_geo.data.migrations.upgrade (python -m fupin_geo migrate)")
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
