"""Serializers of the bidding API, one module per concern: ``rounds`` (rounds,
lots, rubric, tranche plan, opening, clarifications), ``bids`` (bids and their
parts, submissions, qualification) and ``review`` (panels, score sheets,
results, awards, notices, objections)."""
