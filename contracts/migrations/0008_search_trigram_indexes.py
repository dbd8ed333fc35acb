from django.db import migrations

from purchase_portal.search_indexes import trigram_index


class Migration(migrations.Migration):
    """Searches by contract number or title read an index (PostgreSQL)."""

    dependencies = [("contracts", "0007_report_status_due_index")]

    operations = [
        trigram_index("contracts_contract", "number", "contract_number_trgm"),
        trigram_index("contracts_contract", "title", "contract_title_trgm"),
    ]
