from django.db import migrations

from purchase_portal.search_indexes import trigram_index


class Migration(migrations.Migration):
    """Searches by name or credit code read an index (PostgreSQL)."""

    dependencies = [("organizations", "0005_control_relationship")]

    operations = [
        trigram_index("organizations_organization", "name", "organization_name_trgm"),
        trigram_index("organizations_organization", "credit_code", "organization_credit_trgm"),
    ]
