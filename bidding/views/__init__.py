"""Pages of rounds, one module per step: ``rounds`` (officers' set-up),
``calls`` (public calls and questions), ``bids`` (an organization's bids),
``opening`` (opening and qualification), ``experts`` (expert pool, panels,
declarations), ``scoring`` (score sheets), ``results`` (results and awards) and
``notices`` (public notices and objections)."""
