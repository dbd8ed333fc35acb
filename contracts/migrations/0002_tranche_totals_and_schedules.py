"""Database-side rules across payment tranches, and the periodic tasks.

Why a constraint trigger: a ``CheckConstraint`` sees one row, but "the shares
sum to 100 %", "the amounts sum to the contract amount" and "the paid
tranches sum to ``paid_total`` (which a row constraint keeps within the
amount)" span rows. The services check them under a lock on the contract;
PostgreSQL re-checks them with a constraint trigger that is DEFERRABLE
INITIALLY DEFERRED, so an amendment may change the amount and several
tranches in one transaction and the sums are judged once, at commit. SQLite
has no deferred triggers; there the services' locked checks and the row
constraints hold the rules.
"""

import json

from django.db import migrations

CHECK_FUNCTION = """
CREATE OR REPLACE FUNCTION contracts_check_tranche_totals() RETURNS trigger AS $$
DECLARE
    cid bigint;
    c_amount numeric;
    c_paid numeric;
    n integer;
    share_sum numeric;
    amount_sum numeric;
    paid_sum numeric;
BEGIN
    IF TG_TABLE_NAME = 'contracts_contract' THEN
        cid := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        cid := OLD.contract_id;
    ELSE
        cid := NEW.contract_id;
    END IF;
    SELECT amount, paid_total INTO c_amount, c_paid FROM contracts_contract WHERE id = cid;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT count(*), coalesce(sum(share), 0), coalesce(sum(amount), 0),
           coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0)
      INTO n, share_sum, amount_sum, paid_sum
      FROM contracts_paymenttranche WHERE contract_id = cid;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF share_sum <> 100 THEN
        RAISE EXCEPTION 'contract %: tranche shares sum to %, not 100', cid, share_sum
            USING ERRCODE = 'check_violation';
    END IF;
    IF amount_sum <> c_amount THEN
        RAISE EXCEPTION 'contract %: tranche amounts sum to %, not the contract amount %',
            cid, amount_sum, c_amount USING ERRCODE = 'check_violation';
    END IF;
    IF paid_sum <> c_paid OR paid_sum > c_amount THEN
        RAISE EXCEPTION 'contract %: % paid in tranches, % recorded, amount %',
            cid, paid_sum, c_paid, c_amount USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER contracts_tranche_totals
    AFTER INSERT OR UPDATE OR DELETE ON contracts_paymenttranche
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION contracts_check_tranche_totals();

CREATE CONSTRAINT TRIGGER contracts_contract_tranche_totals
    AFTER UPDATE OF amount, paid_total ON contracts_contract
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION contracts_check_tranche_totals();
"""

DROP = """
DROP TRIGGER IF EXISTS contracts_contract_tranche_totals ON contracts_contract;
DROP TRIGGER IF EXISTS contracts_tranche_totals ON contracts_paymenttranche;
DROP FUNCTION IF EXISTS contracts_check_tranche_totals();
"""

TASKS = [
    ("Create missing contract drafts", "contracts.tasks.create_missing_contracts", "0", "6"),
    ("Remind of due and overdue progress reports", "contracts.tasks.remind_reports", "0", "8"),
    ("Remind of rectification deadlines", "contracts.tasks.remind_rectifications", "10", "8"),
]


def _run(schema_editor, sql):
    # Without parameters, so the "%" placeholders of RAISE stay as they are.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def add_trigger(apps, schema_editor):
    _run(schema_editor, CHECK_FUNCTION)


def drop_trigger(apps, schema_editor):
    _run(schema_editor, DROP)


def add_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "args": json.dumps([])}
        )


def drop_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _n, task, _m, _h in TASKS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(add_schedules, drop_schedules),
    ]
