"""The cryptographic primitives that seal bids: hybrid encryption for a public
key, password protection, and k-of-n Shamir shares (SLIP-0039)."""

import pytest

from purchase_portal import sealing

FAST = 10  # lowest scrypt cost the format accepts: these tests check behaviour


def test_a_wrapped_key_opens_only_with_the_matching_private_key_and_context():
    private, public = sealing.generate_key_pair()
    other_private, _other_public = sealing.generate_key_pair()
    data_key = sealing.new_data_key()
    wrapped = sealing.wrap(data_key, public_key=public, aad=b"bid:1")
    assert data_key not in wrapped
    assert sealing.unwrap(wrapped, private_key=private, aad=b"bid:1") == data_key
    with pytest.raises(sealing.SealError):
        sealing.unwrap(wrapped, private_key=other_private, aad=b"bid:1")
    with pytest.raises(sealing.SealError):
        sealing.unwrap(wrapped, private_key=private, aad=b"bid:2")


def test_encrypted_content_is_not_readable_and_any_change_is_detected():
    key = sealing.new_data_key()
    plain = "服务方案 price 271828.18".encode()
    blob = sealing.encrypt(plain, key=key, aad=b"ctx")
    assert plain not in blob and b"271828" not in blob
    assert sealing.decrypt(blob, key=key, aad=b"ctx") == plain
    altered = bytearray(blob)
    altered[-1] ^= 1
    with pytest.raises(sealing.SealError):
        sealing.decrypt(bytes(altered), key=key, aad=b"ctx")
    with pytest.raises(sealing.SealError):
        sealing.decrypt(b"short", key=key, aad=b"ctx")


def test_password_protection_refuses_a_wrong_password():
    secret = b"k" * 32
    blob = sealing.protect(secret, password="correct horse", aad=b"user:1", log2_n=FAST)
    assert secret not in blob
    assert sealing.unprotect(blob, password="correct horse", aad=b"user:1") == secret
    with pytest.raises(sealing.WrongPasswordError):
        sealing.unprotect(blob, password="wrong horse", aad=b"user:1")
    with pytest.raises(sealing.WrongPasswordError):
        sealing.unprotect(blob, password="correct horse", aad=b"user:2")


def test_any_k_shares_rebuild_the_key_and_fewer_do_not():
    private, public = sealing.generate_key_pair()
    shares = sealing.split(private, threshold=2, shares=3)
    assert len(shares) == 3 and len(set(shares)) == 3
    for pair in ([0, 1], [0, 2], [1, 2]):
        rebuilt = sealing.combine([shares[i] for i in pair])
        assert rebuilt == private and sealing.public_key_of(rebuilt) == public
    with pytest.raises(sealing.ShareError):
        sealing.combine(shares[:1])


def test_shares_of_another_key_or_an_altered_share_are_detected():
    first, _ = sealing.generate_key_pair()
    second, _ = sealing.generate_key_pair()
    mine = sealing.split(first, threshold=2, shares=3)
    theirs = sealing.split(second, threshold=2, shares=3)
    assert sealing.share_identifier(mine[0]) == sealing.share_identifier(mine[2])
    with pytest.raises(sealing.ShareError):
        sealing.combine([mine[0], theirs[1]])
    words = mine[1].split()
    words[5] = "academic" if words[5] != "academic" else "acid"
    with pytest.raises(sealing.ShareError):
        sealing.combine([mine[0], " ".join(words)])


def test_split_refuses_an_impossible_rule():
    secret, _ = sealing.generate_key_pair()
    with pytest.raises(ValueError):
        sealing.split(secret, threshold=4, shares=3)
