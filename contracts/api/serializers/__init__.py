"""Serializers of the contracts API, one module per concern."""
