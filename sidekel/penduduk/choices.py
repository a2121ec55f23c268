"""SIAK code lists with their official numbers (standards.md §3).

The numbers are what SIAK exports and OpenSID imports use; the labels follow the KK print. They are
data, not free text: a resident stores the number.
"""

from django.db import models


class JenisKelamin(models.IntegerChoices):
    LAKI_LAKI = 1, "Laki-laki"
    PEREMPUAN = 2, "Perempuan"


class Agama(models.IntegerChoices):
    ISLAM = 1, "Islam"
    KRISTEN = 2, "Kristen"
    KATHOLIK = 3, "Katholik"
    HINDU = 4, "Hindu"
    BUDHA = 5, "Budha"
    KHONGHUCU = 6, "Khonghucu"
    KEPERCAYAAN = 7, "Kepercayaan terhadap Tuhan YME"


class PendidikanKK(models.IntegerChoices):
    """Pendidikan terakhir (last completed level), as on the KK."""

    TIDAK_BELUM_SEKOLAH = 1, "Tidak/Belum Sekolah"
    BELUM_TAMAT_SD = 2, "Belum Tamat SD/Sederajat"
    TAMAT_SD = 3, "Tamat SD/Sederajat"
    SLTP = 4, "SLTP/Sederajat"
    SLTA = 5, "SLTA/Sederajat"
    DIPLOMA_I_II = 6, "Diploma I/II"
    DIPLOMA_III = 7, "Akademi/Diploma III/Sarjana Muda"
    STRATA_I = 8, "Diploma IV/Strata I"
    STRATA_II = 9, "Strata II"
    STRATA_III = 10, "Strata III"


class PendidikanSedang(models.IntegerChoices):
    """Pendidikan yang sedang ditempuh (schooling now)."""

    BELUM_MASUK_TK = 1, "Belum Masuk TK/Kelompok Bermain"
    SEDANG_TK = 2, "Sedang TK/Kelompok Bermain"
    TIDAK_PERNAH_SEKOLAH = 3, "Tidak Pernah Sekolah"
    SEDANG_SD = 4, "Sedang SD/Sederajat"
    TIDAK_TAMAT_SD = 5, "Tidak Tamat SD/Sederajat"
    SEDANG_SLTP = 6, "Sedang SLTP/Sederajat"
    SEDANG_SLTA = 7, "Sedang SLTA/Sederajat"
    SEDANG_D1 = 8, "Sedang D-1/Sederajat"
    SEDANG_D2 = 9, "Sedang D-2/Sederajat"
    SEDANG_D3 = 10, "Sedang D-3/Sederajat"
    SEDANG_S1 = 11, "Sedang S-1/Sederajat"
    SEDANG_S2 = 12, "Sedang S-2/Sederajat"
    SEDANG_S3 = 13, "Sedang S-3/Sederajat"
    SEDANG_SLB_A = 14, "Sedang SLB A/Sederajat"
    SEDANG_SLB_B = 15, "Sedang SLB B/Sederajat"
    SEDANG_SLB_C = 16, "Sedang SLB C/Sederajat"
    TIDAK_DAPAT_MEMBACA = 17, "Tidak Dapat Membaca dan Menulis Huruf Latin/Arab"
    TIDAK_SEDANG_SEKOLAH = 18, "Tidak Sedang Sekolah"


# Schooling now, as the school participation figures (BPS) and the out-of-school list read it:
# "in school" is any "Sedang ..." value (TK to S-3 and SLB); "not in school" is a recorded value
# saying so (never, dropped out, cannot read and write, not now, not yet in TK). Empty is not recorded.
BERSEKOLAH = (
    PendidikanSedang.SEDANG_TK, PendidikanSedang.SEDANG_SD, PendidikanSedang.SEDANG_SLTP, PendidikanSedang.SEDANG_SLTA,
    PendidikanSedang.SEDANG_D1, PendidikanSedang.SEDANG_D2, PendidikanSedang.SEDANG_D3, PendidikanSedang.SEDANG_S1,
    PendidikanSedang.SEDANG_S2, PendidikanSedang.SEDANG_S3, PendidikanSedang.SEDANG_SLB_A,
    PendidikanSedang.SEDANG_SLB_B, PendidikanSedang.SEDANG_SLB_C,
)
TIDAK_BERSEKOLAH = (
    PendidikanSedang.BELUM_MASUK_TK, PendidikanSedang.TIDAK_PERNAH_SEKOLAH, PendidikanSedang.TIDAK_TAMAT_SD,
    PendidikanSedang.TIDAK_DAPAT_MEMBACA, PendidikanSedang.TIDAK_SEDANG_SEKOLAH,
)


class Pekerjaan(models.IntegerChoices):
    """The 89 SIAK occupations, in SIAK order."""

    BELUM_TIDAK_BEKERJA = 1, "Belum/Tidak Bekerja"
    MENGURUS_RUMAH_TANGGA = 2, "Mengurus Rumah Tangga"
    PELAJAR_MAHASISWA = 3, "Pelajar/Mahasiswa"
    PENSIUNAN = 4, "Pensiunan"
    PEGAWAI_NEGERI_SIPIL = 5, "Pegawai Negeri Sipil (PNS)"
    TENTARA_NASIONAL_INDONESIA = 6, "Tentara Nasional Indonesia (TNI)"
    KEPOLISIAN_RI = 7, "Kepolisian RI (POLRI)"
    PERDAGANGAN = 8, "Perdagangan"
    PETANI_PEKEBUN = 9, "Petani/Pekebun"
    PETERNAK = 10, "Peternak"
    NELAYAN_PERIKANAN = 11, "Nelayan/Perikanan"
    INDUSTRI = 12, "Industri"
    KONSTRUKSI = 13, "Konstruksi"
    TRANSPORTASI = 14, "Transportasi"
    KARYAWAN_SWASTA = 15, "Karyawan Swasta"
    KARYAWAN_BUMN = 16, "Karyawan BUMN"
    KARYAWAN_BUMD = 17, "Karyawan BUMD"
    KARYAWAN_HONORER = 18, "Karyawan Honorer"
    BURUH_HARIAN_LEPAS = 19, "Buruh Harian Lepas"
    BURUH_TANI_PERKEBUNAN = 20, "Buruh Tani/Perkebunan"
    BURUH_NELAYAN_PERIKANAN = 21, "Buruh Nelayan/Perikanan"
    BURUH_PETERNAKAN = 22, "Buruh Peternakan"
    PEMBANTU_RUMAH_TANGGA = 23, "Pembantu Rumah Tangga"
    TUKANG_CUKUR = 24, "Tukang Cukur"
    TUKANG_LISTRIK = 25, "Tukang Listrik"
    TUKANG_BATU = 26, "Tukang Batu"
    TUKANG_KAYU = 27, "Tukang Kayu"
    TUKANG_SOL_SEPATU = 28, "Tukang Sol Sepatu"
    TUKANG_LAS_PANDAI_BESI = 29, "Tukang Las/Pandai Besi"
    TUKANG_JAHIT = 30, "Tukang Jahit"
    TUKANG_GIGI = 31, "Tukang Gigi"
    PENATA_RIAS = 32, "Penata Rias"
    PENATA_BUSANA = 33, "Penata Busana"
    PENATA_RAMBUT = 34, "Penata Rambut"
    MEKANIK = 35, "Mekanik"
    SENIMAN = 36, "Seniman"
    TABIB = 37, "Tabib"
    PARAJI = 38, "Paraji"
    PERANCANG_BUSANA = 39, "Perancang Busana"
    PENTERJEMAH = 40, "Penterjemah"
    IMAM_MASJID = 41, "Imam Masjid"
    PENDETA = 42, "Pendeta"
    PASTOR = 43, "Pastor"
    WARTAWAN = 44, "Wartawan"
    USTADZ_MUBALIGH = 45, "Ustadz/Mubaligh"
    JURU_MASAK = 46, "Juru Masak"
    PROMOTOR_ACARA = 47, "Promotor Acara"
    ANGGOTA_DPR_RI = 48, "Anggota DPR-RI"
    ANGGOTA_DPD = 49, "Anggota DPD"
    ANGGOTA_BPK = 50, "Anggota BPK"
    PRESIDEN = 51, "Presiden"
    WAKIL_PRESIDEN = 52, "Wakil Presiden"
    ANGGOTA_MAHKAMAH_KONSTITUSI = 53, "Anggota Mahkamah Konstitusi"
    ANGGOTA_KABINET_KEMENTERIAN = 54, "Anggota Kabinet/Kementerian"
    DUTA_BESAR = 55, "Duta Besar"
    GUBERNUR = 56, "Gubernur"
    WAKIL_GUBERNUR = 57, "Wakil Gubernur"
    BUPATI = 58, "Bupati"
    WAKIL_BUPATI = 59, "Wakil Bupati"
    WALIKOTA = 60, "Walikota"
    WAKIL_WALIKOTA = 61, "Wakil Walikota"
    ANGGOTA_DPRD_PROVINSI = 62, "Anggota DPRD Provinsi"
    ANGGOTA_DPRD_KABUPATEN_KOTA = 63, "Anggota DPRD Kabupaten/Kota"
    DOSEN = 64, "Dosen"
    GURU = 65, "Guru"
    PILOT = 66, "Pilot"
    PENGACARA = 67, "Pengacara"
    NOTARIS = 68, "Notaris"
    ARSITEK = 69, "Arsitek"
    AKUNTAN = 70, "Akuntan"
    KONSULTAN = 71, "Konsultan"
    DOKTER = 72, "Dokter"
    BIDAN = 73, "Bidan"
    PERAWAT = 74, "Perawat"
    APOTEKER = 75, "Apoteker"
    PSIKIATER_PSIKOLOG = 76, "Psikiater/Psikolog"
    PENYIAR_TELEVISI = 77, "Penyiar Televisi"
    PENYIAR_RADIO = 78, "Penyiar Radio"
    PELAUT = 79, "Pelaut"
    PENELITI = 80, "Peneliti"
    SOPIR = 81, "Sopir"
    PIALANG = 82, "Pialang"
    PARANORMAL = 83, "Paranormal"
    PEDAGANG = 84, "Pedagang"
    PERANGKAT_DESA = 85, "Perangkat Desa"
    KEPALA_DESA = 86, "Kepala Desa"
    BIARAWATI = 87, "Biarawati"
    WIRASWASTA = 88, "Wiraswasta"
    LAINNYA = 89, "Lainnya"


class StatusPerkawinan(models.IntegerChoices):
    """SIAK's four values; whether a marriage or divorce is registered is kept beside it."""

    BELUM_KAWIN = 1, "Belum Kawin"
    KAWIN = 2, "Kawin"
    CERAI_HIDUP = 3, "Cerai Hidup"
    CERAI_MATI = 4, "Cerai Mati"


class HubunganKeluarga(models.IntegerChoices):
    """Status hubungan dalam keluarga (SHDK)."""

    KEPALA_KELUARGA = 1, "Kepala Keluarga"
    SUAMI = 2, "Suami"
    ISTRI = 3, "Istri"
    ANAK = 4, "Anak"
    MENANTU = 5, "Menantu"
    CUCU = 6, "Cucu"
    ORANG_TUA = 7, "Orang Tua"
    MERTUA = 8, "Mertua"
    FAMILI_LAIN = 9, "Famili Lain"
    PEMBANTU = 10, "Pembantu"
    LAINNYA = 11, "Lainnya"


class HubunganRumahTangga(models.IntegerChoices):
    KEPALA_RUMAH_TANGGA = 1, "Kepala Rumah Tangga"
    ANGGOTA = 2, "Anggota"


class Kewarganegaraan(models.IntegerChoices):
    WNI = 1, "WNI"
    WNA = 2, "WNA"
    DUA_KEWARGANEGARAAN = 3, "Dua Kewarganegaraan"


class GolonganDarah(models.IntegerChoices):
    A = 1, "A"
    B = 2, "B"
    AB = 3, "AB"
    O = 4, "O"
    A_POS = 5, "A+"
    A_NEG = 6, "A-"
    B_POS = 7, "B+"
    B_NEG = 8, "B-"
    AB_POS = 9, "AB+"
    AB_NEG = 10, "AB-"
    O_POS = 11, "O+"
    O_NEG = 12, "O-"
    TIDAK_TAHU = 13, "Tidak Tahu"


class Disabilitas(models.IntegerChoices):
    """SIAK's disability list (sensitive data, UU 24/2013 Pasal 84)."""

    FISIK = 1, "Cacat Fisik"
    NETRA = 2, "Cacat Netra/Buta"
    RUNGU_WICARA = 3, "Cacat Rungu/Wicara"
    MENTAL = 4, "Cacat Mental/Jiwa"
    FISIK_DAN_MENTAL = 5, "Cacat Fisik dan Mental"
    LAINNYA = 6, "Cacat Lainnya"
    TIDAK_CACAT = 7, "Tidak Cacat"


class DapatMembacaHuruf(models.TextChoices):
    """Scripts a resident can read (Buku Induk Penduduk, column 10)."""

    LATIN = "L", "Latin"
    DAERAH = "D", "Daerah"
    ARAB = "A", "Arab"
    ARAB_LATIN = "AL", "Arab dan Latin"
    ARAB_DAERAH = "AD", "Arab dan Daerah"
    ARAB_LATIN_DAERAH = "ALD", "Arab, Latin dan Daerah"


class StatusPenduduk(models.IntegerChoices):
    TETAP = 1, "Tetap"
    TIDAK_TETAP = 2, "Tidak Tetap"


class StatusDasar(models.IntegerChoices):
    """Whether a resident is still here (OpenSID's numbers)."""

    HIDUP = 1, "Hidup"
    MATI = 2, "Mati"
    PINDAH = 3, "Pindah"
    HILANG = 4, "Hilang"
    PERGI = 6, "Pergi"


class JenisPeristiwa(models.IntegerChoices):
    """Population events (OpenSID's log_penduduk numbers)."""

    LAHIR = 1, "Lahir"
    MATI = 2, "Mati"
    PINDAH_KELUAR = 3, "Pindah Keluar"
    HILANG = 4, "Hilang"
    PINDAH_DATANG = 5, "Pindah Datang"
    PERGI = 6, "Pergi"


# How each event changes a village's count of living residents.
PERUBAHAN_JUMLAH = {
    JenisPeristiwa.LAHIR: +1,
    JenisPeristiwa.PINDAH_DATANG: +1,
    JenisPeristiwa.MATI: -1,
    JenisPeristiwa.PINDAH_KELUAR: -1,
    JenisPeristiwa.HILANG: -1,
    JenisPeristiwa.PERGI: -1,
}

# The status a resident takes after an event that takes them out of the village.
STATUS_SETELAH = {
    JenisPeristiwa.MATI: StatusDasar.MATI,
    JenisPeristiwa.PINDAH_KELUAR: StatusDasar.PINDAH,
    JenisPeristiwa.HILANG: StatusDasar.HILANG,
    JenisPeristiwa.PERGI: StatusDasar.PERGI,
}
