"""The letter types seeded on installation (migration 0002). Codes (slugs) are stable: the API
and the citizens' requests use them. Classification codes follow the Permendagri 83/2022 list
used by villages (470: population, 474: civil registration, 400: welfare, 500: economy, 300: order)."""

PEMBUKA = ("Yang bertanda tangan di bawah ini {jabatan} {desa}, Kecamatan {kecamatan}, {kabupaten}, "
           "menerangkan dengan sebenarnya bahwa:\n\n"
           "Nama: {nama}\nNIK: {nik}\nTempat/Tgl. Lahir: {tempat_tanggal_lahir}\nJenis Kelamin: {jenis_kelamin}\n"
           "Agama: {agama}\nPekerjaan: {pekerjaan}\nStatus Perkawinan: {status_perkawinan}\nAlamat: {alamat}\n\n")
PENUTUP = "\n\nDemikian surat ini dibuat untuk dipergunakan sebagaimana mestinya."
SYARAT_UMUM = "Fotokopi KTP\nFotokopi Kartu Keluarga\nSurat pengantar RT/RW"


def _t(kode, nama, klasifikasi, isi, isian=(), syarat=SYARAT_UMUM, berlaku=30, perlu_hidup=True, kertas="A4"):
    return {"kode": kode, "nama": nama, "klasifikasi": klasifikasi, "syarat": syarat, "masa_berlaku": berlaku,
            "kertas": kertas, "isian": list(isian), "badan": PEMBUKA + isi + PENUTUP, "perlu_hidup": perlu_hidup}


def _f(nama, label, jenis="teks", wajib=True, pilihan=None):
    field = {"nama": nama, "label": label, "jenis": jenis, "wajib": wajib}
    if pilihan:
        field["pilihan"] = pilihan
    return field


JENIS = [
    _t("pengantar", "Surat Pengantar", "470",
       "Orang tersebut benar warga kami dan surat pengantar ini diberikan untuk keperluan: {keperluan}."),
    _t("domisili", "Surat Keterangan Domisili", "474.4",
       "Orang tersebut benar penduduk yang berdomisili di {sebutan_desa} {desa} sampai saat ini."),
    _t("keterangan-penduduk", "Surat Keterangan Penduduk", "470",
       "Orang tersebut benar tercatat sebagai penduduk {sebutan_desa} {desa}. Keperluan: {keperluan}."),
    _t("domisili-usaha", "Surat Keterangan Domisili Usaha", "510",
       "Orang tersebut mempunyai usaha {nama_usaha} yang berlokasi di {alamat_usaha}, wilayah {sebutan_desa} {desa}.",
       [_f("nama_usaha", "Nama usaha"), _f("alamat_usaha", "Alamat usaha")], berlaku=180),
    _t("sktm", "Surat Keterangan Tidak Mampu", "400.9",
       "Orang tersebut benar warga {sebutan_desa} {desa} dan tergolong keluarga tidak mampu. Surat keterangan ini "
       "diberikan untuk keperluan: {keperluan}.",
       [_f("penghasilan", "Penghasilan keluarga per bulan (Rp)", "angka")], berlaku=90),
    _t("pengantar-skck", "Surat Pengantar SKCK", "300",
       "Orang tersebut benar warga kami, berkelakuan baik dan tidak pernah tersangkut perkara pidana sepanjang "
       "pengetahuan kami. Surat ini diberikan sebagai pengantar pembuatan SKCK untuk keperluan: {keperluan}.",
       syarat=SYARAT_UMUM + "\nPas foto 4x6 (2 lembar)"),
    _t("keterangan-usaha", "Surat Keterangan Usaha", "510",
       "Orang tersebut benar mempunyai usaha {jenis_usaha} sejak {mulai_usaha} di wilayah {sebutan_desa} {desa}.",
       [_f("jenis_usaha", "Jenis usaha"), _f("mulai_usaha", "Usaha berjalan sejak", "tanggal")], berlaku=180),
    _t("kelahiran", "Surat Keterangan Kelahiran", "474.1",
       "Telah lahir seorang anak {jenis_kelamin_anak} bernama {nama_anak} pada tanggal {tanggal_lahir_anak} di "
       "{tempat_lahir_anak}, anak dari keluarga tersebut di atas.",
       [_f("nama_anak", "Nama anak"), _f("jenis_kelamin_anak", "Jenis kelamin anak", "pilihan",
                                          pilihan=["Laki-laki", "Perempuan"]),
        _f("tanggal_lahir_anak", "Tanggal lahir anak", "tanggal"), _f("tempat_lahir_anak", "Tempat lahir anak")],
       berlaku=60),
    _t("kematian", "Surat Keterangan Kematian", "474.3",
       "Orang tersebut telah meninggal dunia pada tanggal {tanggal_meninggal} di {tempat_meninggal} "
       "disebabkan {sebab}.",
       [_f("tanggal_meninggal", "Tanggal meninggal", "tanggal"), _f("tempat_meninggal", "Tempat meninggal"),
        _f("sebab", "Sebab kematian", "pilihan", pilihan=["Sakit biasa / tua", "Wabah penyakit", "Kecelakaan",
                                                           "Kriminalitas", "Bunuh diri", "Lainnya"])],
       syarat="Fotokopi KTP almarhum\nKartu Keluarga\nSurat keterangan dokter/rumah sakit (bila ada)",
       berlaku=90, perlu_hidup=False),
    _t("pindah", "Surat Keterangan Pindah", "474.2",
       "Orang tersebut bermaksud pindah ke {alamat_tujuan} dengan alasan {alasan_pindah}, "
       "bersama {jumlah_pengikut} orang anggota keluarga.",
       [_f("alamat_tujuan", "Alamat tujuan"), _f("alasan_pindah", "Alasan pindah", "pilihan",
                                                  pilihan=["Pekerjaan", "Pendidikan", "Keamanan", "Kesehatan",
                                                           "Perumahan", "Keluarga", "Lainnya"]),
        _f("jumlah_pengikut", "Jumlah anggota keluarga yang ikut", "angka", wajib=False)]),
    _t("belum-menikah", "Surat Keterangan Belum Menikah", "474.2",
       "Orang tersebut sampai saat ini belum pernah menikah. Keperluan: {keperluan}."),
    _t("beda-identitas", "Surat Keterangan Beda Identitas", "470",
       "Nama {nama_berbeda} pada dokumen {dokumen} dan nama {nama} pada KTP/KK adalah orang yang sama.",
       [_f("dokumen", "Dokumen yang berbeda"), _f("nama_berbeda", "Data yang tertulis pada dokumen itu")],
       berlaku=365),
    _t("ahli-waris", "Surat Keterangan Ahli Waris", "474",
       "Orang tersebut adalah ahli waris dari almarhum/almarhumah {nama_pewaris} yang meninggal pada tanggal "
       "{tanggal_meninggal_pewaris}, dengan hubungan: {hubungan_waris}.",
       [_f("nama_pewaris", "Nama pewaris"), _f("tanggal_meninggal_pewaris", "Tanggal meninggal pewaris", "tanggal"),
        _f("hubungan_waris", "Hubungan dengan pewaris")],
       syarat=SYARAT_UMUM + "\nSurat kematian pewaris\nSurat pernyataan ahli waris", berlaku=365),
    _t("penghasilan-orang-tua", "Surat Keterangan Penghasilan Orang Tua", "400.9",
       "Orang tersebut adalah orang tua/wali dari {nama_anak} dengan penghasilan rata-rata Rp {penghasilan} "
       "per bulan. Keperluan: {keperluan}.",
       [_f("nama_anak", "Nama anak"), _f("penghasilan", "Penghasilan per bulan (Rp)", "angka")], berlaku=90),
]


def seed(model=None):
    """Create the types not there yet (a type already there is left as the admin edited it).
    ``model``: the migration's historical JenisSurat; by default the current one."""
    if model is None:
        from .models import JenisSurat as model
    for item in JENIS:
        model.objects.get_or_create(kode=item["kode"], defaults=item)
