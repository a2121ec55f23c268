"""Sidekel: Sistem Informasi Desa dan Kelurahan."""

__version__ = "0.1.0"
