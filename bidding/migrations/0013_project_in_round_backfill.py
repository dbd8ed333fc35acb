from django.db import migrations

#: Lot outcomes that were buying their project when projects began to record it.
#: Frozen history: from now on bidding tells projects when a project enters or leaves
#: a round (projects.services.project_round_entered / project_round_left).
BUYING = ("open", "in_review", "awarded", "final")


def backfill(apps, schema_editor):
    PurchaseProject = apps.get_model("projects", "PurchaseProject")
    Lot = apps.get_model("bidding", "Lot")
    buying = Lot.objects.filter(project__isnull=False, status__in=BUYING).values("project_id")
    PurchaseProject.objects.filter(pk__in=buying).update(in_round=True)


class Migration(migrations.Migration):
    dependencies = [
        ("bidding", "0012_related_bidders_decision"),
        ("projects", "0010_purchaseproject_in_round"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
