"""Device configuration: one TOML file, declared once as pydantic models."""
