"""The sync protocol's shared parts: wire documents, canonical JSON, backend URLs. Client and servers import these."""
