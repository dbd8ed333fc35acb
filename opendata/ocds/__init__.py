"""Building OCDS 1.1.5 releases from the portal's data.

One contracting process (``ocid``) per lot: the configured prefix
(``settings.OCDS_OCID_PREFIX``) plus the lot's identifier ``<round code>-<lot
number>``. One release per lifecycle event, with an id that depends only on
the event, so rebuilding gives the same ids:

- ``planning``: the approved project with its budget;
- ``tender``: the published call; ``tenderAmendment`` per answered
  clarification; ``tenderUpdate`` at the opening (the tenderers, never their
  bids) and when the lot's outcome is final (complete, unsuccessful, cancelled);
- ``award`` / ``awardUpdate`` / ``awardCancellation`` per award and status;
- ``contract`` at signing, ``contractAmendment`` per amendment in force,
  ``contractTermination`` when it ends;
- ``implementation``: a transaction per paid tranche, a milestone per progress
  report reviewed and per evaluation submitted or decided.

Sealed content (政府采购法 Art 37 and 电子招标投标办法 Arts 26, 30): before the
opening no release names a tenderer or says anything derived from the bids;
bids are read only for rounds whose opening act took place, and then only the
bidder's identity. No personal data is published: no signer, contact or legal
representative, no beneficiary data, no bank details.
"""

from .common import (
    TENDERED_BID_STATUSES,
    Event,
    LotContext,
    absolute,
    iso,
    ocid_for,
    settle_date,
)
from .tender import lot_events

__all__ = [
    "TENDERED_BID_STATUSES",
    "Event",
    "LotContext",
    "absolute",
    "iso",
    "lot_events",
    "ocid_for",
    "settle_date",
]
