"""Sidekel's own checks of a production configuration: `sidekel check --deploy` (docs/deploy.md)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_proxy(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    warnings = []
    if settings.SIDEKEL_HTTPS and not settings.SIDEKEL_BEHIND_PROXY:
        warnings.append(Warning(
            "SIDEKEL_HTTPS aktif tetapi SIDEKEL_BEHIND_PROXY tidak: Sidekel tidak dapat mengetahui bahwa "
            "sebuah permintaan datang lewat HTTPS, sehingga HSTS tidak dikirim dan HTTP tidak dialihkan.",
            hint="Pasang nginx di depan (deploy/nginx-sidekel.conf) yang mengirim "
                 "'proxy_set_header X-Forwarded-Proto $scheme;', lalu isi SIDEKEL_BEHIND_PROXY=1 di "
                 "/etc/sidekel/sidekel.env.",
            id="sidekel.W001",
        ))
    if not settings.SIDEKEL_HTTPS:
        warnings.append(Warning(
            "SIDEKEL_HTTPS=0: kata sandi dan data penduduk dikirim tanpa enkripsi.",
            hint="Pasang sertifikat TLS di nginx (docs/deploy.md, bagian TLS) dan hapus SIDEKEL_HTTPS=0.",
            id="sidekel.W002",
        ))
    return warnings
