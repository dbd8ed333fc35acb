"""API of purchase projects and the purchase catalogue."""
