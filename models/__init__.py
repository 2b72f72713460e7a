"""Validated, immutable schema of scenarios and results."""
