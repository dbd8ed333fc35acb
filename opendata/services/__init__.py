from .bulk import bulk_build
from .publication import contract_publication_deadline, contracts_publish_due
from .releases import releases_refresh

__all__ = [
    "bulk_build",
    "contract_publication_deadline",
    "contracts_publish_due",
    "releases_refresh",
]
