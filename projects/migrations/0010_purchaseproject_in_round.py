from django.db import migrations, models

#: Lot outcomes (bidding) that were buying their project when this field was added.
#: Frozen history: from now on bidding reports entering and leaving a round.
BUYING = ("open", "in_review", "awarded", "final")


def backfill(apps, schema_editor):
    PurchaseProject = apps.get_model("projects", "PurchaseProject")
    Lot = apps.get_model("bidding", "Lot")
    buying = Lot.objects.filter(project__isnull=False, status__in=BUYING).values("project_id")
    PurchaseProject.objects.filter(pk__in=buying).update(in_round=True)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_catalogue_budget_approval"),
        ("bidding", "0009_sealed_bids"),
    ]

    operations = [
        migrations.AddField(
            model_name="purchaseproject",
            name="in_round",
            field=models.BooleanField(
                db_index=True, default=False, verbose_name="in a purchase round"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
