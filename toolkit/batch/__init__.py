"""Checking a whole intake folder: cross-application rules, registry, reports."""
