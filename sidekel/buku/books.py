"""The five population books of Permendagri 47/2016 (B.1-B.5): their columns and rows.

Each book says which rows it has (``queryset``) and how one record becomes one row of text
(``baris``). The screen, the .xlsx file and the PDF all use these, so they always agree. Column
numbers and names follow the Lampiran (docs: shared reference, standards §4.1). NIK and KK numbers
appear in full: the books are official records, and the views let only users who may see them
open B.1, B.4 and B.5.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery

from sidekel.penduduk.choices import JenisKelamin, JenisPeristiwa, StatusDasar, StatusPenduduk
from sidekel.penduduk.models import Penduduk, Peristiwa, umur_pada

from .models import BULAN
from .rekap import batas_bulan


@dataclass
class Buku:
    kode: str  # in the URL: b1 ... b5
    nomor: str  # B.1 ... B.5
    judul: str
    kolom: list  # (header, relative width in the PDF)
    bulanan: bool = False  # one month at a time
    identitas: bool = False  # holds full NIK/KK: only for users who may reveal them
    grup: list = field(default_factory=list)  # PDF/xlsx header groups: (label, number of columns)

    def queryset(self, desa, tahun=None, bulan=None):
        raise NotImplementedError

    def baris(self, obj, nomor):
        raise NotImplementedError

    def rows(self, desa, tahun=None, bulan=None):
        """Every row of the book, read a batch at a time (memory stays flat)."""
        for nomor, obj in enumerate(self.queryset(desa, tahun, bulan).iterator(chunk_size=2000), start=1):
            yield self.baris(obj, nomor)


_LABELS = {}


def label(obj, name):
    """The label of a coded field (``get_FOO_display`` rebuilds its dict on every call: too slow
    for a book of 10,000 rows)."""
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    labels = _LABELS.get((type(obj), name))
    if labels is None:
        labels = _LABELS[(type(obj), name)] = {k: str(v) for k, v in obj._meta.get_field(name).flatchoices}
    return labels.get(value, value)


def tgl(value):
    return value.strftime("%d-%m-%Y") if value else ""


def tanggal_panjang(value):
    return f"{value.day} {BULAN[value.month]} {value.year}"


def jk(p):
    return "L" if p.jenis_kelamin == JenisKelamin.LAKI_LAKI else "P"


def alamat_lengkap(p):
    parts = [p.alamat] if p.alamat else []
    if p.rt_id:
        if p.rt.nomor and p.rt.nomor != "-":
            parts.append(f"RT {p.rt.nomor}")
        if p.rt.rw_id:
            parts.append(f"RW {p.rt.rw.nomor}")
        if p.rt.dusun_id and p.rt.dusun.nama not in (p.alamat or ""):
            parts.append(p.rt.dusun.nama)
    return ", ".join(parts)


def nomor_kk(p):
    return (p.keluarga.nomor_kk or "") if p.keluarga_id else ""


def _penduduk_hidup(desa):
    return (Penduduk.objects.filter(desa=desa, status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)
            .select_related("keluarga", "rt__rw", "rt__dusun"))


class BukuInduk(Buku):
    def queryset(self, desa, tahun=None, bulan=None):
        return _penduduk_hidup(desa).order_by("id")  # a register: in the order people were recorded

    def baris(self, p, nomor):
        return [nomor, p.nama, jk(p), label(p, "status_perkawinan"), p.tempat_lahir, tgl(p.tanggal_lahir),
                label(p, "agama"), label(p, "pendidikan_kk"), label(p, "pekerjaan"),
                label(p, "dapat_membaca_huruf"), label(p, "kewarganegaraan"),
                alamat_lengkap(p), label(p, "hubungan_keluarga"), p.nik or "", nomor_kk(p), ""]


class BukuMutasi(Buku):
    def queryset(self, desa, tahun=None, bulan=None):
        awal, akhir = batas_bulan(tahun, bulan)
        return (Peristiwa.objects.berlaku().filter(desa=desa, tanggal__range=(awal, akhir), penduduk__deleted_at__isnull=True)
                .select_related("penduduk", "desa_asal_tujuan").order_by("tanggal", "id"))

    def baris(self, e, nomor):
        p = e.penduduk
        row = [nomor, p.nama, p.tempat_lahir, tgl(p.tanggal_lahir), jk(p), label(p, "kewarganegaraan")]
        asal_tujuan = e.asal_tujuan or (str(e.desa_asal_tujuan) if e.desa_asal_tujuan_id else "")
        keterangan = [label(e, "jenis")]
        if e.jenis == JenisPeristiwa.LAHIR:
            row += ["Lahir" + (f" di {e.tempat}" if e.tempat else ""), tgl(e.tanggal), "", "", "", ""]
        elif e.jenis == JenisPeristiwa.PINDAH_DATANG:
            row += [asal_tujuan, tgl(e.tanggal), "", "", "", ""]
        elif e.jenis == JenisPeristiwa.MATI:
            row += ["", "", "", "", e.tempat or "-", tgl(e.tanggal)]
        else:  # moved out, missing, gone
            row += ["", "", asal_tujuan or "-", tgl(e.tanggal), "", ""]
        if e.koreksi:
            keterangan.append(f"koreksi: {e.alasan_koreksi}")
        return row + ["; ".join(keterangan)]


class BukuPendudukSementara(Buku):
    def queryset(self, desa, tahun=None, bulan=None):
        datang = Peristiwa.objects.berlaku().filter(penduduk=OuterRef("pk"), jenis=JenisPeristiwa.PINDAH_DATANG).order_by("-tanggal", "-id")
        return (_penduduk_hidup(desa).filter(status_penduduk=StatusPenduduk.TIDAK_TETAP)
                .annotate(datang_dari=Subquery(datang.values("asal_tujuan")[:1])).order_by("id"))

    def baris(self, p, nomor):
        ttl = f"{p.tempat_lahir}, {tgl(p.tanggal_lahir)} / {umur_pada(p.tanggal_lahir, datetime.date.today())} th"
        return [nomor, p.nama, "L" if jk(p) == "L" else "", "P" if jk(p) == "P" else "", p.nik or "", ttl,
                label(p, "pekerjaan"), label(p, "kewarganegaraan"), "", p.datang_dari or "", "",
                alamat_lengkap(p), tgl(p.tanggal_mulai_tinggal), "", ""]


class BukuKtpKk(Buku):
    def queryset(self, desa, tahun=None, bulan=None):
        # Family by family, the head first; residents without a KK at the end (on both databases).
        return _penduduk_hidup(desa).order_by(F("keluarga_id").asc(nulls_last=True), "hubungan_keluarga", "tanggal_lahir", "id")

    def baris(self, p, nomor):
        return [nomor, nomor_kk(p), p.nama, p.nik or "", jk(p), f"{p.tempat_lahir}, {tgl(p.tanggal_lahir)}",
                label(p, "golongan_darah"), label(p, "agama"),
                label(p, "pendidikan_kk"), label(p, "pekerjaan"), alamat_lengkap(p),
                label(p, "status_perkawinan"), "", label(p, "hubungan_keluarga"), label(p, "kewarganegaraan"),
                p.nama_ayah, p.nama_ibu, tgl(p.tanggal_mulai_tinggal), ""]


class BukuRekapitulasi(Buku):
    """B.3: its rows come from ``rekap.hitung_rekap`` (or the approved, frozen figures)."""

    def rows_from(self, data):
        for nomor, row in enumerate(data["baris"], start=1):
            yield [nomor, row["dusun"], *row["kolom"], row["keterangan"]]
        yield ["", data["jumlah"]["dusun"], *data["jumlah"]["kolom"], data["jumlah"]["keterangan"]]


PENDUDUK_KOLOM = ["WNA L", "WNA P", "WNI L", "WNI P", "KK", "Anggota keluarga", "Jiwa"]
EMPAT = ["WNA L", "WNA P", "WNI L", "WNI P"]
B3_KOLOM = ([("No", 4), ("Nama dusun/lingkungan", 24)] + [(h, 10) for h in PENDUDUK_KOLOM]
            + [(h, 6.5) for h in EMPAT * 4] + [(h, 10) for h in PENDUDUK_KOLOM] + [("Keterangan", 18)])
B3_GRUP = [("", 2), ("Jumlah penduduk awal bulan", 7), ("Lahir", 4), ("Datang", 4), ("Meninggal", 4), ("Pindah", 4),
           ("Jumlah penduduk akhir bulan", 7), ("", 1)]

BOOKS = {b.kode: b for b in [
    BukuInduk("b1", "B.1", "Buku Induk Penduduk", [
        ("No", 7), ("Nama lengkap/panggilan", 34), ("JK", 6), ("Status perkawinan", 17), ("Tempat lahir", 20),
        ("Tanggal lahir", 15), ("Agama", 13), ("Pendidikan terakhir", 22), ("Pekerjaan", 24), ("Dapat membaca huruf", 12),
        ("Kewarga-negaraan", 12), ("Alamat lengkap", 34), ("Kedudukan dalam keluarga", 18), ("NIK", 24),
        ("Nomor KK", 24), ("Ket.", 12)], identitas=True),
    BukuMutasi("b2", "B.2", "Buku Mutasi Penduduk", [
        ("No", 7), ("Nama lengkap/panggilan", 36), ("Tempat lahir", 22), ("Tanggal lahir", 16), ("JK", 6),
        ("Kewarga-negaraan", 14), ("Datang dari", 30), ("Tanggal", 16), ("Pindah ke", 30), ("Tanggal", 16),
        ("Meninggal (tempat)", 24), ("Tanggal", 16), ("Keterangan", 30)], bulanan=True,
        grup=[("", 6), ("Penambahan", 2), ("Pengurangan", 4), ("", 1)]),
    BukuRekapitulasi("b3", "B.3", "Buku Rekapitulasi Jumlah Penduduk", B3_KOLOM, bulanan=True, grup=B3_GRUP),
    BukuPendudukSementara("b4", "B.4", "Buku Penduduk Sementara", [
        ("No", 7), ("Nama lengkap", 34), ("L", 6), ("P", 6), ("Nomor identitas", 26), ("Tempat, tanggal lahir/umur", 34),
        ("Pekerjaan", 24), ("Kebangsaan", 14), ("Keturunan", 14), ("Datang dari", 26), ("Maksud dan tujuan", 20),
        ("Nama dan alamat yang didatangi", 34), ("Datang tanggal", 16), ("Pergi tanggal", 16), ("Ket.", 14)],
        identitas=True, grup=[("", 2), ("Jenis kelamin", 2), ("", 3), ("Kewarganegaraan", 2), ("", 6)]),
    BukuKtpKk("b5", "B.5", "Buku Kartu Tanda Penduduk dan Buku Kartu Keluarga", [
        ("No", 7), ("No. KK", 24), ("Nama lengkap", 30), ("NIK", 24), ("JK", 6), ("Tempat/tanggal lahir", 28),
        ("Gol. darah", 9), ("Agama", 12), ("Pendidikan", 20), ("Pekerjaan", 22), ("Alamat", 30), ("Status perkawinan", 16),
        ("Tempat dan tanggal dikeluarkan", 18), ("Hubungan dalam keluarga", 17), ("Kewarga-negaraan", 12),
        ("Ayah", 22), ("Ibu", 22), ("Mulai tinggal di desa", 15), ("Ket.", 10)], identitas=True,
        grup=[("", 15), ("Orang tua", 2), ("", 2)]),
]}


def ensure_readable(book, user, desa_id):
    """PermissionDenied unless ``user`` may read ``book`` of this village (a book with full NIK and
    KK numbers needs the right to see them)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from sidekel.core.scope import can_reveal_identity

    if book.identitas and not can_reveal_identity(user, desa_id):
        raise PermissionDenied(_("This book shows full NIK and KK numbers, which your role may not see."))
