"""API of rounds and bids: ``rounds`` (rounds, lots, questions), ``bids`` and
``review`` (panels, score sheets, awards, notices, objections); serializers in
``serializers/``, routes in ``urls``."""
