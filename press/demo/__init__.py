"""Demo data for `manage.py seed_demo`: one module per area, each idempotent.

Every step looks rows up by a natural key and creates only what is missing, so running
the command twice changes nothing.
"""
