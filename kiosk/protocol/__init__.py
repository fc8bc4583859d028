"""The sync protocol's shared parts: wire documents, canonical JSON, results documents (client and servers)."""
