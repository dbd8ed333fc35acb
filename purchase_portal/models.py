"""Models shared by every app: the audit trail, the notification inbox and the
outbox of background tasks."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadedDocument(models.Model):
    """What every uploaded document records beside its file (checked by
    ``purchase_portal.uploads.check_upload``). Subclasses add ``file`` with
    their own ``upload_to`` prefix and the object the document belongs to."""

    title = models.CharField(_("title"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title or self.original_name


class AuditEvent(models.Model):
    """One append-only, hash-chained entry of the audit trail.

    ``seq`` gives the chain its single order; ``hash`` covers every field and
    the previous event's hash, so altering, inserting or deleting a row breaks
    the chain. Rows are written only by ``purchase_portal.audit.record``.
    """

    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=80, db_index=True, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, editable=False)
    object_repr = models.CharField(_("object"), max_length=255, blank=True, editable=False)
    before = models.JSONField(_("before"), null=True, blank=True, editable=False)
    after = models.JSONField(_("after"), null=True, blank=True, editable=False)
    ip = models.CharField(_("IP address"), max_length=45, blank=True, editable=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    sealed_scope = models.CharField(
        _("sealed until"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "Events of sealed content (e.g. bids before opening) stay hidden until the seal is lifted."
        ),
    )
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "-seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditSeal(models.Model):
    """A scope of audit events hidden from readers until lifted (bids until the
    round is opened: even who bid is confidential before opening)."""

    scope = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return self.scope


class AuditChainHead(models.Model):
    """The newest event's sequence number and hash; writers lock this row."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Notification(models.Model):
    """An in-app message; the same event may also be e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    sealed_scope = models.CharField(
        _("sealed until"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "Notifications about sealed content (e.g. a bid before opening) are sealed "
            "like its audit events."
        ),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """Makes reminders idempotent: one per object, kind and due date."""

    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=80)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind", "due_on"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}:{self.object_id} {self.due_on}"


class CalendarYear(models.Model):
    """Whether a year's holiday arrangement is confirmed.

    A year is confirmed once the State Council's yearly notice on the holiday
    arrangement is loaded (holiday periods and make-up workdays). Until then the
    calendar holds only the statutory holidays of the 全国年节及纪念日放假办法 with
    the 补假 its Art 6 gives for holidays on a weekend, and pages that set a period
    reaching the year warn the officer (``purchase_portal.calendar``).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed = models.BooleanField(_("arrangement confirmed"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("holiday arrangement of a year")
        verbose_name_plural = _("holiday arrangements")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week (Asia/Shanghai).

    Only exceptions are stored: public holidays (``is_workday`` False) and the
    weekend days that the State Council's yearly arrangement makes working days
    (调休 make-up workdays, ``is_workday`` True). Every other day is a working
    day from Monday to Friday. ``purchase_portal.calendar`` does the arithmetic.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_(
            "Unticked: a public holiday. Ticked: a weekend day that is a make-up working day (调休)."
        ),
    )
    name = models.CharField(_("occasion"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("working-day calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("holiday")
        return f"{self.date:%Y-%m-%d} {self.name} ({kind})"


class AuditAnchor(models.Model):
    """The chain head (sequence and hash) published outside the audit table.

    A daily task publishes it on a public page, e-mails it to the auditors and
    writes it, signed, to a file outside the database
    (``purchase_portal.anchors``); ``verify_audit_chain`` checks the chain
    against the latest anchor, so a truncated or rewritten tail is detected.
    """

    seq = models.BigIntegerField(_("sequence"), editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)
    published_at = models.DateTimeField(_("published at"), editable=False, db_index=True)
    signature = models.TextField(_("signature"), editable=False)

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["-seq", "-published_at"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class OutboxMessage(models.Model):
    """A background task to send to the broker, written in the same database
    transaction as the change that asks for it (transactional outbox).

    ``purchase_portal.outbox.enqueue`` writes it; after the commit it is sent at
    once, or, when the broker is down, kept pending and sent in order by the
    relay (``relay_outbox``: a periodic task, a management command and the next
    successful send). A change that commits never loses its task; a change that
    rolls back never sends one.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    task_id = models.UUIDField(_("task id"), unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks (outbox)")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.task_id}"
