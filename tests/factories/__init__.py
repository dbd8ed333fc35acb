"""factory_boy factories, one module per app; import them from here."""

from .bidding import (
    AwardFactory,
    BidBudgetLineFactory,
    BidFactory,
    ExpertProfileFactory,
    LotFactory,
    RoundFactory,
    RubricCriterionFactory,
    TranchePlanItemFactory,
)
from .organizations import (
    MembershipFactory,
    OrganizationFactory,
    StreetFactory,
    UserFactory,
    valid_code,
)
from .projects import (
    CatalogueItemFactory,
    ProjectTargetFactory,
    PurchaseProjectFactory,
    service_category,
)

__all__ = [
    "AwardFactory",
    "BidBudgetLineFactory",
    "BidFactory",
    "CatalogueItemFactory",
    "ExpertProfileFactory",
    "LotFactory",
    "MembershipFactory",
    "OrganizationFactory",
    "ProjectTargetFactory",
    "PurchaseProjectFactory",
    "RoundFactory",
    "RubricCriterionFactory",
    "StreetFactory",
    "TranchePlanItemFactory",
    "UserFactory",
    "service_category",
    "valid_code",
]
