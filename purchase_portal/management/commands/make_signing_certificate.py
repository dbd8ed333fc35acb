from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from purchase_portal.pdf_signing import create_development_certificate


class Command(BaseCommand):
    help = (
        "Create a self-signed DEVELOPMENT certificate for signing PDFs at the configured "
        "PDF_SIGNING_CERT / PDF_SIGNING_KEY paths (never use it in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when the files exist"
        )

    def handle(self, *args, if_missing: bool = False, **options):
        cert, key = Path(settings.PDF_SIGNING_CERT), Path(settings.PDF_SIGNING_KEY)
        if if_missing and cert.is_file() and key.is_file():
            self.stdout.write(f"PDFs are signed with the development certificate {cert}.")
            return
        directory = cert.parent
        created_cert, created_key = create_development_certificate(
            directory, name=settings.PDF_SIGNING_NAME
        )
        if created_cert != cert:
            created_cert.replace(cert)
        if created_key != key:
            created_key.replace(key)
        self.stdout.write(
            self.style.WARNING(
                f"Created a self-signed DEVELOPMENT certificate for signing PDFs: {cert} "
                f"(key {key}). PDF readers will show the signature as untrusted; "
                "production needs the federation's own certificate."
            )
        )
