"""Expert pool, panel draws, conflict-of-interest declarations and scores."""

__all__: list[str] = []
