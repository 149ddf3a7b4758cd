"""Staff passwords, hashed with argon2 (argon2-cffi's defaults, argon2id): the ledger keeps
the hash alone, as the core stores the string it is given."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


def hash_password(password: str) -> str:
    """The argon2id hash of `password`, salted, with its parameters: ``$argon2id$…``."""
    return PasswordHasher().hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether `password` is the one `password_hash` was made from."""
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
