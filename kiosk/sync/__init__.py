"""Upload to the ministry backend: outbox batches, the worker thread, credentials (to come)."""
