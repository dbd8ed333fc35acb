from django.db import migrations, models


class Migration(migrations.Migration):
    # Filled for existing data by bidding's 0013_project_in_round_backfill: projects
    # knows nothing of lots.
    dependencies = [
        ("projects", "0003_catalogue_budget_approval"),
    ]

    operations = [
        migrations.AddField(
            model_name="purchaseproject",
            name="in_round",
            field=models.BooleanField(
                db_index=True, default=False, verbose_name="in a purchase round"
            ),
        ),
    ]
