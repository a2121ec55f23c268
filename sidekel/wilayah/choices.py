from django.db import models


class JenisDesa(models.IntegerChoices):
    """Village type; Kemendagri codes carry it as the first digit of the village part."""

    KELURAHAN = 1, "Kelurahan"
    DESA = 2, "Desa"
    DESA_ADAT = 3, "Desa Adat"


# What a village calls its first subdivision, by default.
SEBUTAN_DUSUN_DEFAULT = {
    JenisDesa.KELURAHAN: "Lingkungan",
    JenisDesa.DESA: "Dusun",
    JenisDesa.DESA_ADAT: "Dusun",
}
