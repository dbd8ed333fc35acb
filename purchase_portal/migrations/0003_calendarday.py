from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("purchase_portal", "0002_audit_protection"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(unique=True, verbose_name="date")),
                (
                    "is_workday",
                    models.BooleanField(
                        default=False,
                        help_text="Unticked: a public holiday. Ticked: a weekend day that is a make-up working day (调休).",
                        verbose_name="working day",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="occasion")),
            ],
            options={
                "verbose_name": "calendar exception",
                "verbose_name_plural": "working-day calendar",
                "ordering": ["date"],
            },
        ),
    ]
