"""Privacy before storage: masking personal data in free text, sealing contact details."""
