"""Tracking codes handed to citizens (a report of saran dan masukan, an online letter request).

A code is a prefix and groups of four signs drawn with ``secrets`` from an alphabet without the
signs that are misread or, read out over the phone, misheard: no 0/O, 1/I/L, U/V. A code as a
person types it (lower case, spaces, with or without the dashes and the prefix) is read back in
its stored form by ``normal_code``.
"""

import secrets

# 29 signs: 8 of them ~ 5.0e11, 12 of them ~ 3.5e17.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def new_code(prefix, length=8):
    """``ASP-7K3M-Q9XD``: ``prefix``, then ``length`` signs in groups of four."""
    body = "".join(secrets.choice(ALPHABET) for _i in range(length))
    return "-".join([prefix] + [body[i:i + 4] for i in range(0, length, 4)])


def normal_code(text, prefix, length=8):
    """The stored form of a code as typed, or "" when it cannot be one."""
    text = (text or "").upper().replace(" ", "").replace("-", "")[:length + len(prefix) + 4]
    if text.startswith(prefix):
        text = text[len(prefix):]
    if len(text) != length or any(c not in ALPHABET for c in text):
        return ""
    return "-".join([prefix] + [text[i:i + 4] for i in range(0, length, 4)])
