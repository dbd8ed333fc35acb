"""Forms of the bidding pages, one module per concern: ``rounds`` (set-up,
questions, bids, qualification) and ``review`` (experts, declarations, score
sheets, objections). They shape input; the services decide."""
