"""The roles, as the accounts app names them (defined in core/roles.py, where the permission rules are)."""

from sidekel.core.roles import KECAMATAN_ROLES, Role

__all__ = ["KECAMATAN_ROLES", "Role"]
