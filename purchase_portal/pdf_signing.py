"""Digital signatures on every PDF the portal issues (PAdES, pyHanko).

``sign_pdf`` signs a rendered PDF with the federation's certificate and key
(``PDF_SIGNING_CERT``, ``PDF_SIGNING_KEY``, ``PDF_SIGNING_KEY_PASSWORD``: PEM
files), so a PDF reader shows who issued it and that nothing changed since; any
change breaks the signature. The public verification page still works by the
file's SHA-256, which covers the signed file.

In development ``make run`` creates a self-signed certificate under
``var/pdf-signing/`` (git-ignored; ``manage.py make_signing_certificate``),
clearly named as not for production. Without a configured certificate PDFs are
issued unsigned and a warning is logged.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FIELD_NAME = "FederationSignature"


def signing_files() -> tuple[Path, Path] | None:
    cert, key = settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY
    if not cert or not key:
        return None
    cert, key = Path(cert), Path(key)
    if not (cert.is_file() and key.is_file()):
        return None
    return cert, key


@lru_cache(maxsize=4)
def _signer(cert: str, key: str, password: str):
    from pyhanko.sign import signers

    return signers.SimpleSigner.load(
        key_file=key, cert_file=cert, key_passphrase=password.encode() if password else None
    )


def sign_pdf(data: bytes) -> bytes:
    """The PDF with a PAdES signature of the federation, or unchanged (with a
    warning) when no certificate is configured."""
    files = signing_files()
    if files is None:
        logger.warning("PDF issued unsigned: PDF_SIGNING_CERT and PDF_SIGNING_KEY are not set")
        return data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(str(files[0]), str(files[1]), settings.PDF_SIGNING_KEY_PASSWORD or "")
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=settings.PDF_SIGNING_REASON,
        location=settings.PDF_SIGNING_LOCATION,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def create_development_certificate(directory: Path, *, name: str) -> tuple[Path, Path]:
    """A self-signed RSA certificate and key for development, named as such."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} (development only)"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "certificate.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path
