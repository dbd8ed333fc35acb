"""Cryptographic primitives for sealed documents (电子招标投标办法 2013, Arts 26 and 30:
bid documents stay encrypted until the opening).

- A *round key* is an X25519 key pair. Documents are sealed with a hybrid
  scheme: each document gets its own random AES-256-GCM key (the *data key*);
  the data key is wrapped for the round's public key (ECIES: an ephemeral
  X25519 key agreement, HKDF-SHA256, AES-256-GCM).
- The round's private key is never stored: it is split into k-of-n Shamir
  shares (SLIP-0039, the ``shamir-mnemonic`` reference implementation), each
  share wrapped for the public key of its holder's personal opening key.
- A personal opening key's private half is protected by its holder's password
  (scrypt, AES-256-GCM).

Every ciphertext is bound to its context by associated data (``aad``), so a
ciphertext moved to another row does not decrypt. Nothing here knows a model.
"""

from __future__ import annotations

import os
import struct

import shamir_mnemonic
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
#: scrypt cost (log2 N) for new password-protected keys; stored with each blob.
DEFAULT_SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
_PASSWORD_VERSION = 1
_WRAP_INFO = b"purchase-portal key wrap v1"


class SealError(Exception):
    """A sealed value could not be opened (wrong key, altered ciphertext)."""


class WrongPasswordError(SealError):
    """The password does not open the protected key."""


class ShareError(SealError):
    """The shares do not reconstruct a key (too few, altered, or from another key)."""


# Keys -------------------------------------------------------------------------


def generate_key_pair() -> tuple[bytes, bytes]:
    """A new X25519 key pair as raw bytes: ``(private, public)``."""
    private = X25519PrivateKey.generate()
    return _raw_private(private), _raw_public(private.public_key())


def public_key_of(private: bytes) -> bytes:
    """The public half of a raw private key (to check a reconstructed key)."""
    try:
        key = X25519PrivateKey.from_private_bytes(private)
    except ValueError as exc:
        raise SealError("not a private key") from exc
    return _raw_public(key.public_key())


def _raw_private(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# Symmetric encryption ---------------------------------------------------------


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def encrypt(data: bytes, *, key: bytes, aad: bytes) -> bytes:
    """AES-256-GCM; the result is ``nonce || ciphertext+tag``."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def decrypt(blob: bytes, *, key: bytes, aad: bytes) -> bytes:
    blob = bytes(blob)
    if len(blob) < NONCE_BYTES + 16:
        raise SealError("ciphertext too short")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise SealError("ciphertext does not open with this key") from exc


# Wrapping a key for a public key (ECIES) ---------------------------------------


def _wrapping_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + recipient, info=_WRAP_INFO
    ).derive(shared)


def wrap(secret: bytes, *, public_key: bytes, aad: bytes) -> bytes:
    """Encrypt a short secret for the holder of ``public_key``:
    ``ephemeral public key || nonce || ciphertext+tag``."""
    try:
        recipient = X25519PublicKey.from_public_bytes(bytes(public_key))
    except ValueError as exc:
        raise SealError("not a public key") from exc
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    key = _wrapping_key(ephemeral.exchange(recipient), ephemeral_public, bytes(public_key))
    return ephemeral_public + encrypt(secret, key=key, aad=aad)


def unwrap(blob: bytes, *, private_key: bytes, aad: bytes) -> bytes:
    blob = bytes(blob)
    if len(blob) < KEY_BYTES + NONCE_BYTES + 16:
        raise SealError("wrapped key too short")
    try:
        private = X25519PrivateKey.from_private_bytes(bytes(private_key))
        ephemeral = X25519PublicKey.from_public_bytes(blob[:KEY_BYTES])
        shared = private.exchange(ephemeral)
    except ValueError as exc:
        raise SealError("wrapped key does not open with this key") from exc
    key = _wrapping_key(shared, blob[:KEY_BYTES], _raw_public(private.public_key()))
    return decrypt(blob[KEY_BYTES:], key=key, aad=aad)


# Password protection ----------------------------------------------------------


def _password_key(password: str, salt: bytes, log2_n: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=2**log2_n, r=SCRYPT_R, p=SCRYPT_P).derive(
        password.encode()
    )


def protect(secret: bytes, *, password: str, aad: bytes, log2_n: int | None = None) -> bytes:
    """Encrypt ``secret`` under a key derived from ``password`` (scrypt):
    ``version || log2 N || salt || nonce || ciphertext+tag``."""
    log2_n = log2_n or DEFAULT_SCRYPT_LOG2_N
    salt = os.urandom(SALT_BYTES)
    header = struct.pack("BB", _PASSWORD_VERSION, log2_n) + salt
    return header + encrypt(secret, key=_password_key(password, salt, log2_n), aad=header + aad)


def unprotect(blob: bytes, *, password: str, aad: bytes) -> bytes:
    blob = bytes(blob)
    header_size = 2 + SALT_BYTES
    if len(blob) < header_size + NONCE_BYTES + 16:
        raise SealError("protected key too short")
    version, log2_n = struct.unpack("BB", blob[:2])
    if version != _PASSWORD_VERSION or not 10 <= log2_n <= 22:
        raise SealError("unknown protection format")
    header = blob[:header_size]
    key = _password_key(password, blob[2:header_size], log2_n)
    try:
        return decrypt(blob[header_size:], key=key, aad=header + aad)
    except SealError as exc:
        raise WrongPasswordError("wrong password") from exc


# Shamir k-of-n ------------------------------------------------------------------


def split(secret: bytes, *, threshold: int, shares: int) -> list[str]:
    """Split ``secret`` (16–32 bytes, even length) into ``shares`` SLIP-0039
    shares of which any ``threshold`` reconstruct it."""
    if not 1 <= threshold <= shares <= 16:
        raise ValueError("need 1 <= threshold <= shares <= 16")
    groups = shamir_mnemonic.generate_mnemonics(
        group_threshold=1,
        groups=[(threshold, shares)],
        master_secret=secret,
        passphrase=b"",
        extendable=True,
        iteration_exponent=0,
    )
    return list(groups[0])


def share_identifier(share: str) -> int:
    """The identifier common to every share of one split (not secret)."""
    try:
        return shamir_mnemonic.Share.from_mnemonic(share).identifier
    except shamir_mnemonic.MnemonicError as exc:
        raise ShareError(str(exc)) from exc


def combine(shares: list[str]) -> bytes:
    """Reconstruct the secret; raises ``ShareError`` when the shares are too few,
    altered (checksum or digest) or from different splits."""
    try:
        return shamir_mnemonic.combine_mnemonics(shares, passphrase=b"")
    except (shamir_mnemonic.MnemonicError, ValueError) as exc:
        raise ShareError(str(exc)) from exc
