"""A synthetic, realistic population for the demo kecamatan and for benchmarks.

Families are generated whole: a head, usually a spouse, children of plausible ages for the
mother, sometimes an elderly parent or a grandchild. Ages follow a young Kalimantan pyramid;
education and work fit the age; NIKs encode birth date and sex and follow every hard rule; KK
numbers encode the issue date. The last two years hold births (every child under two), deaths,
moves out and families that moved in, each with its peristiwa, so counts on past dates work.

Everything comes from one ``random.Random(seed)`` and the ``today`` date: the same seed on the
same day gives the same data. Rows are written in batches per village, so a million residents
fit in a few hundred MB. This is the one write path that does not go through ``services.py``
row by row, for speed; ``tests/test_demo.py`` checks that it keeps the same invariants.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sidekel.core.bulk import IdBlock, analyze, insert_objects, reset_sequences
from sidekel.wilayah.choices import JenisDesa
from sidekel.wilayah.models import Desa, Dusun, Rt, Rw
from sidekel.wilayah.services import load_wilayah

from .choices import (
    Agama,
    DapatMembacaHuruf,
    Disabilitas,
    GolonganDarah,
    HubunganKeluarga,
    HubunganRumahTangga,
    JenisKelamin,
    JenisPeristiwa,
    Kewarganegaraan,
    PendidikanKK,
    PendidikanSedang,
    Pekerjaan,
    StatusDasar,
    StatusPenduduk,
    StatusPerkawinan,
)
from .models import NAME_TABLES, Keluarga, NomorKK, Penduduk, Peristiwa, RumahTangga, residents_inserted_in_bulk

ROW_MODELS = (Keluarga, RumahTangga, Penduduk, NomorKK, Peristiwa)
# Steps other apps add to the demo (registered in their AppConfig.ready; penduduk imports none of
# them): (build(builder, villages) after the residents are written, reset(desa_ids) before they go).
STEPS = []


def register_step(build, reset=None):
    """``build(builder, villages)`` runs after the residents are built, ``reset(desa_ids)`` before
    they are deleted: functions, or their dotted paths (the app's demo module is then imported
    only when a demo is built or reset, not by every process that sets Django up)."""
    if all(step[0] != build for step in STEPS):
        STEPS.append((build, reset))


def _steps():
    """STEPS with every dotted path imported."""
    return [(import_string(build) if isinstance(build, str) else build,
             import_string(reset) if isinstance(reset, str) else reset) for build, reset in STEPS]

KECAMATAN_DEMO = "62.01.02"
L, P = JenisKelamin.LAKI_LAKI, JenisKelamin.PEREMPUAN
BATCH = 5000

# Where people here were born or first registered, with their kecamatan's NIK prefix.
ASAL_LOKAL = [("Pangkalan Bun", "620102", 70), ("Kumai", "620101", 8), ("Kotawaringin Lama", "620103", 4),
              ("Pangkalan Lada", "620105", 3)]
ASAL_LUAR = [("Sampit", "620201", 5), ("Palangka Raya", "627101", 4), ("Banjarmasin", "637101", 4),
             ("Semarang", "337401", 3), ("Surabaya", "357801", 2), ("Jepara", "332001", 3),
             ("Makassar", "737101", 1), ("Kupang", "537101", 1)]
JALAN = ["Jl. Pangeran Antasari", "Jl. Ahmad Yani", "Jl. Iskandar", "Jl. Pakunegara", "Jl. Malijo",
         "Jl. Sutan Syahrir", "Jl. Domba", "Jl. Padat Karya", "Jl. Diponegoro", "Jl. Kawitan",
         "Jl. Rangga Santrek", "Jl. Hasanuddin", "Gg. Mawar", "Gg. Melati", "Jl. Sungai Arut"]
JALAN_DESA = ["Jl. Poros Desa", "Jl. Tani", "Gg. Sawit", "Jl. Kebun Karet", "Jl. Simpang Tiga", "Jl. Pelabuhan",
              "Gg. Rukun", "Jl. Lingkar Desa"]
NAMA_DUSUN = ["Sumber Rejeki", "Harapan Jaya", "Sido Mulyo", "Karya Bakti", "Tanjung", "Bukit Indah",
              "Sungai Arut", "Suka Maju", "Mekar Sari", "Batu Belaman"]
TUJUAN_PINDAH = ["Kec. Kumai, Kotawaringin Barat", "Kota Palangka Raya", "Kab. Kotawaringin Timur",
                 "Kota Banjarmasin", "Kab. Lamandau", "Kota Semarang", "Kab. Sukamara"]
SEBAB_KEMATIAN = ["Sakit", "Usia lanjut", "Kecelakaan", "Sakit jantung", "Stroke"]
BULAN_ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Orang:
    """A person being generated, before it becomes a Penduduk row."""

    jenis_kelamin: int
    tanggal_lahir: datetime.date
    hubungan: int
    nama: str = ""
    status_perkawinan: int = StatusPerkawinan.BELUM_KAWIN
    status_dasar: int = StatusDasar.HIDUP
    peristiwa: list = field(default_factory=list)  # (jenis, tanggal, details)
    ayah: "Orang | None" = None
    ibu: "Orang | None" = None
    nik: str = ""
    nik_prefix: str = ""
    tempat_lahir: str = ""


class DemoBuilder:
    def __init__(self, seed=1, today=None, stdout=None):
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today or timezone.localdate()
        self.two_years_ago = self.today - datetime.timedelta(days=730)
        self.stdout = stdout
        self.nik_serial = defaultdict(int)
        self.kk_serial = defaultdict(int)
        from faker.providers.person.id_ID import Provider as NamaIndonesia  # here: Faker takes long to import

        self.first_male = list(NamaIndonesia.first_names_male)
        self.first_female = list(NamaIndonesia.first_names_female)
        self.last_names = list(NamaIndonesia.last_names_male) + list(NamaIndonesia.last_names_female)

    # --- small helpers ------------------------------------------------------------------------

    def log(self, message):
        if self.stdout:
            self.stdout.write(message)

    def pick(self, weighted):
        """Pick from [(value, weight), ...]."""
        values, weights = zip(*weighted)
        return self.rng.choices(values, weights)[0]

    def origin(self, places):
        """(place of birth, NIK prefix) from [(place, prefix, weight), ...]."""
        return self.rng.choices(places, weights=[w for _, _, w in places])[0][:2]

    def date_between(self, start, end):
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def birth_date(self, age):
        """A birth date for someone who is ``age`` today; older people often have 1 January or
        31 December, as they were registered without a known date."""
        end = self.today.replace(year=self.today.year - age) if not (self.today.month == 2 and self.today.day == 29) \
            else datetime.date(self.today.year - age, 2, 28)
        start = end - datetime.timedelta(days=364)
        if age >= 45 and self.rng.random() < 0.25:
            return datetime.date(end.year if self.rng.random() < 0.5 else start.year, 1, 1) \
                if start.year != end.year else datetime.date(end.year, 1, 1)
        return self.date_between(start, end)

    def name(self, sex):
        first = self.rng.choice(self.first_male if sex == L else self.first_female)
        if self.rng.random() < 0.35:
            return first
        return f"{first} {self.rng.choice(self.last_names)}"

    def nik(self, prefix, tanggal_lahir, sex):
        day = tanggal_lahir.day + (40 if sex == P else 0)
        head = f"{prefix}{day:02d}{tanggal_lahir:%m%y}"
        self.nik_serial[head] += 1
        return f"{head}{self.nik_serial[head]:04d}"

    def nomor_kk(self, tanggal):
        head = f"620102{tanggal:%d%m%y}"
        self.kk_serial[head] += 1
        return f"{head}{self.kk_serial[head]:04d}"

    # --- people -------------------------------------------------------------------------------

    def adult_age(self):
        return self.pick([(self.rng.randint(20, 29), 22), (self.rng.randint(30, 39), 30), (self.rng.randint(40, 49), 24),
                          (self.rng.randint(50, 59), 14), (self.rng.randint(60, 69), 7), (self.rng.randint(70, 85), 3)])

    def family(self):
        """One family as a list of Orang; the head first."""
        rng = self.rng
        kind = self.pick([("pasangan", 78), ("sendiri", 9), ("orang_tua_tunggal", 13)])
        head_age = self.adult_age()
        head_sex = L if kind == "pasangan" or rng.random() < 0.45 else P
        head = Orang(head_sex, self.birth_date(head_age), HubunganKeluarga.KEPALA_KELUARGA)
        members = [head]
        mother = None
        if kind == "pasangan":
            head.jenis_kelamin = L
            wife_age = max(18, head_age - rng.randint(-2, 7))
            mother = Orang(P, self.birth_date(wife_age), HubunganKeluarga.ISTRI, status_perkawinan=StatusPerkawinan.KAWIN)
            head.status_perkawinan = StatusPerkawinan.KAWIN
            members.append(mother)
        elif kind == "orang_tua_tunggal":
            head.status_perkawinan = self.pick([(StatusPerkawinan.CERAI_MATI, 60), (StatusPerkawinan.CERAI_HIDUP, 40)])
            if head.jenis_kelamin == P:
                mother = head
        else:
            head.status_perkawinan = (StatusPerkawinan.BELUM_KAWIN if head_age < 35
                                      else self.pick([(StatusPerkawinan.CERAI_MATI, 60), (StatusPerkawinan.BELUM_KAWIN, 40)]))
        if kind != "sendiri":
            parent_age = (self.today - (mother or head).tanggal_lahir).days // 365
            n_children = self.pick([(0, 8), (1, 22), (2, 30), (3, 22), (4, 11), (5, 5), (6, 2)])
            age_at_birth = rng.randint(18, 26)
            for _ in range(n_children):
                child_age = parent_age - age_at_birth
                if child_age < 0 or age_at_birth > 43:
                    break
                if child_age <= 30 and (child_age < 22 or rng.random() < 0.5):
                    child = Orang(rng.choice((L, P)), self.birth_date(child_age), HubunganKeluarga.ANAK,
                                  ayah=head if head.jenis_kelamin == L else None, ibu=mother)
                    if child_age >= 23 and rng.random() < 0.3:
                        child.status_perkawinan = StatusPerkawinan.KAWIN
                    members.append(child)
                age_at_birth += rng.randint(2, 5)
        if rng.random() < 0.10 and head_age < 60:
            relation = rng.choice((HubunganKeluarga.ORANG_TUA, HubunganKeluarga.MERTUA))
            elder = Orang(rng.choice((L, P)), self.birth_date(min(95, head_age + rng.randint(22, 32))), relation,
                          status_perkawinan=StatusPerkawinan.CERAI_MATI)
            members.append(elder)
        if rng.random() < 0.03 and head_age >= 45:
            members.append(Orang(rng.choice((L, P)), self.birth_date(rng.randint(0, 8)), HubunganKeluarga.CUCU))
        if rng.random() < 0.02:
            members.append(Orang(rng.choice((L, P)), self.birth_date(rng.randint(15, 40)), HubunganKeluarga.FAMILI_LAIN))
        return members

    def add_recent_events(self, members, moved_in):
        """Births, deaths and moves out within the last two years."""
        rng = self.rng
        for person in members:
            if person.tanggal_lahir > self.two_years_ago:
                person.peristiwa.append((JenisPeristiwa.LAHIR, person.tanggal_lahir, {}))
        if moved_in:
            arrival = self.date_between(self.two_years_ago, self.today)
            for person in members:
                if person.tanggal_lahir <= arrival:
                    person.peristiwa = [(JenisPeristiwa.PINDAH_DATANG, arrival, {"asal_tujuan": rng.choice(TUJUAN_PINDAH)})]
        earliest = max((e[1] for p in members for e in p.peristiwa), default=self.two_years_ago)
        # Somebody in an elder's place died (0.6 % a year, more among the old).
        elder = next((p for p in members if p.hubungan in (HubunganKeluarga.ORANG_TUA, HubunganKeluarga.MERTUA)), None)
        if elder and rng.random() < 0.35:
            self._leave(elder, JenisPeristiwa.MATI, earliest,
                        {"tempat": "Pangkalan Bun", "sebab": rng.choice(SEBAB_KEMATIAN)})
        # A grown child left for work or study elsewhere.
        for person in members:
            age = (self.today - person.tanggal_lahir).days // 365
            if person.hubungan == HubunganKeluarga.ANAK and 18 <= age <= 30 and rng.random() < 0.08:
                self._leave(person, JenisPeristiwa.PINDAH_KELUAR, earliest, {"asal_tujuan": rng.choice(TUJUAN_PINDAH)})

    def _leave(self, person, jenis, not_before, details):
        date = self.date_between(max(not_before, self.two_years_ago, person.tanggal_lahir), self.today)
        person.peristiwa.append((jenis, date, details))
        person.status_dasar = {JenisPeristiwa.MATI: StatusDasar.MATI, JenisPeristiwa.PINDAH_KELUAR: StatusDasar.PINDAH}[jenis]

    def education(self, age):
        if age < 5:
            return PendidikanKK.TIDAK_BELUM_SEKOLAH, PendidikanSedang.BELUM_MASUK_TK if age < 4 else PendidikanSedang.SEDANG_TK
        if age < 7:
            return PendidikanKK.TIDAK_BELUM_SEKOLAH, PendidikanSedang.SEDANG_TK if age < 6 else PendidikanSedang.SEDANG_SD
        if age < 13:
            return PendidikanKK.BELUM_TAMAT_SD, PendidikanSedang.SEDANG_SD
        if age < 16:
            return PendidikanKK.TAMAT_SD, PendidikanSedang.SEDANG_SLTP
        if age < 19:
            return PendidikanKK.SLTP, (PendidikanSedang.SEDANG_SLTA if self.rng.random() < 0.8 else PendidikanSedang.TIDAK_SEDANG_SEKOLAH)
        older = age >= 50
        level = self.pick([
            (PendidikanKK.TIDAK_BELUM_SEKOLAH, 8 if older else 2), (PendidikanKK.BELUM_TAMAT_SD, 10 if older else 4),
            (PendidikanKK.TAMAT_SD, 34 if older else 22), (PendidikanKK.SLTP, 18 if older else 20),
            (PendidikanKK.SLTA, 20 if older else 35), (PendidikanKK.DIPLOMA_I_II, 2), (PendidikanKK.DIPLOMA_III, 2 if older else 4),
            (PendidikanKK.STRATA_I, 5 if older else 11), (PendidikanKK.STRATA_II, 1)])
        sedang = PendidikanSedang.SEDANG_S1 if age < 24 and level == PendidikanKK.SLTA and self.rng.random() < 0.3 \
            else PendidikanSedang.TIDAK_SEDANG_SEKOLAH
        return level, sedang

    def occupation(self, age, sex, pendidikan, sedang):
        if age < 5:
            return Pekerjaan.BELUM_TIDAK_BEKERJA
        if sedang not in (PendidikanSedang.TIDAK_SEDANG_SEKOLAH, PendidikanSedang.BELUM_MASUK_TK) or age < 15:
            return Pekerjaan.PELAJAR_MAHASISWA
        if age >= 60 and self.rng.random() < 0.5:
            return Pekerjaan.PENSIUNAN if pendidikan >= PendidikanKK.SLTA else Pekerjaan.BELUM_TIDAK_BEKERJA
        if pendidikan >= PendidikanKK.DIPLOMA_III:
            return self.pick([(Pekerjaan.PEGAWAI_NEGERI_SIPIL, 30), (Pekerjaan.GURU, 15), (Pekerjaan.KARYAWAN_SWASTA, 25),
                              (Pekerjaan.WIRASWASTA, 12), (Pekerjaan.KARYAWAN_HONORER, 8), (Pekerjaan.BIDAN if sex == P else Pekerjaan.DOKTER, 3),
                              (Pekerjaan.PERAWAT, 4), (Pekerjaan.KEPOLISIAN_RI, 2), (Pekerjaan.PERANGKAT_DESA, 3)])
        if sex == P and self.rng.random() < 0.55:
            return Pekerjaan.MENGURUS_RUMAH_TANGGA
        return self.pick([(Pekerjaan.PETANI_PEKEBUN, 22), (Pekerjaan.BURUH_TANI_PERKEBUNAN, 14), (Pekerjaan.WIRASWASTA, 14),
                          (Pekerjaan.KARYAWAN_SWASTA, 12), (Pekerjaan.BURUH_HARIAN_LEPAS, 12), (Pekerjaan.PEDAGANG, 7),
                          (Pekerjaan.NELAYAN_PERIKANAN, 3), (Pekerjaan.SOPIR, 3), (Pekerjaan.TUKANG_KAYU, 2),
                          (Pekerjaan.TUKANG_BATU, 2), (Pekerjaan.TENTARA_NASIONAL_INDONESIA, 1), (Pekerjaan.BELUM_TIDAK_BEKERJA, 8)])

    # --- villages -----------------------------------------------------------------------------

    def village_units(self, desa, n_people):
        """Dusun/RW/RT of one village; returns the RT rows to spread families over."""
        rng = self.rng
        n_rt = max(3, round(n_people / 250))
        dusun_list = [None]
        if desa.jenis != JenisDesa.KELURAHAN:
            names = rng.sample(NAMA_DUSUN, k=min(len(NAMA_DUSUN), rng.randint(2, 5)))
            dusun_list = Dusun.objects.bulk_create([Dusun(desa=desa, nama=n) for n in names])
        with_rw = rng.random() < 0.4
        rts = []
        per_dusun = max(1, n_rt // len(dusun_list))
        for dusun in dusun_list:
            parents = [None]
            if with_rw:
                parents = Rw.objects.bulk_create(
                    [Rw(desa=desa, dusun=dusun, nomor=f"{i:03d}") for i in range(1, max(2, per_dusun // 4) + 1)]
                )
            for rw in parents:
                # RT numbers start at 001 under each RW (or dusun, or village).
                for number in range(1, max(1, per_dusun // len(parents)) + 1):
                    rts.append(Rt(desa=desa, dusun=dusun, rw=rw, nomor=f"{number:03d}"))
        return Rt.objects.bulk_create(rts)

    def build_village(self, desa, quota):
        rng = self.rng
        rts = self.village_units(desa, quota)
        self.rumah_by_number = {}  # households of this village, by number
        living = 0
        households = 0
        pending, pending_people = [], 0
        while living < quota:
            moved_in = rng.random() < 0.03
            members = self.family()
            self.add_recent_events(members, moved_in)
            living += sum(1 for m in members if m.status_dasar == StatusDasar.HIDUP)
            rt = rng.choice(rts)
            shares_house = households > 0 and rng.random() < 0.08
            if not shares_house:
                households += 1
            pending.append((members, rt, moved_in, households, shares_house))
            pending_people += len(members)
            if pending_people >= BATCH:
                self.write(desa, pending)
                pending, pending_people = [], 0
        if pending:
            self.write(desa, pending)
        return living

    def write(self, desa, families):
        """Insert a batch of families: KK, households, residents, KK history, events."""
        rng = self.rng
        now = timezone.now()
        kode = desa.kode_ringkas
        keluarga_rows, rumah_rows, rumah_by_number = [], [], self.rumah_by_number
        for members, rt, moved_in, household_no, shares in families:
            head = members[0]
            origin = self.origin(ASAL_LUAR if moved_in else ASAL_LOKAL + ASAL_LUAR)
            alamat = f"{rng.choice(JALAN if desa.jenis == JenisDesa.KELURAHAN else JALAN_DESA)} No. {rng.randint(1, 150)}"
            married = head.tanggal_lahir + datetime.timedelta(days=365 * 23)
            issued = self.date_between(max(married, datetime.date(2012, 1, 1), self.today - datetime.timedelta(days=365 * 12)), self.today)
            arrival = next((e[1] for p in members for e in p.peristiwa if e[0] == JenisPeristiwa.PINDAH_DATANG), None)
            if arrival:
                issued = arrival
            keluarga_rows.append(Keluarga(id=self.ids[Keluarga].take(), desa=desa, nomor_kk=self.nomor_kk(issued), tanggal_kk=issued,
                                          rt=rt, alamat=alamat, created_at=now, updated_at=now))
            if not shares:
                rumah_by_number[household_no] = RumahTangga(id=self.ids[RumahTangga].take(), desa=desa, nomor=f"{kode}{household_no:05d}", rt=rt, alamat=alamat,
                                                            created_at=now, updated_at=now)
                rumah_rows.append(rumah_by_number[household_no])
            for person in members:
                # Children born here were registered here; the rest keep the prefix of where they
                # were first registered.
                born_here = person.hubungan in (HubunganKeluarga.ANAK, HubunganKeluarga.CUCU) and (
                    arrival is None or person.tanggal_lahir > arrival - datetime.timedelta(days=60))
                person.nik_prefix = "620102" if born_here else origin[1]
                person.tempat_lahir = "Pangkalan Bun" if born_here else origin[0]
        insert_objects(Keluarga, keluarga_rows)
        insert_objects(RumahTangga, rumah_rows)

        penduduk_rows, events = [], []
        for (members, rt, moved_in, household_no, shares), keluarga in zip(families, keluarga_rows):
            rumah = rumah_by_number[household_no]
            agama = self.pick([(Agama.ISLAM, 86), (Agama.KRISTEN, 7), (Agama.KATHOLIK, 3), (Agama.HINDU, 3), (Agama.BUDHA, 1)])
            lokal = not moved_in
            for person in members:
                if not person.nama:
                    person.nama = self.name(person.jenis_kelamin)
                person.nik = self.nik(person.nik_prefix, person.tanggal_lahir, person.jenis_kelamin)
            for person in members:
                age = (self.today - person.tanggal_lahir).days // 365
                pendidikan, sedang = self.education(age)
                tercatat = person.status_perkawinan != StatusPerkawinan.BELUM_KAWIN and rng.random() < 0.85
                wedding = person.tanggal_lahir + datetime.timedelta(days=365 * rng.randint(19, 27))
                row = Penduduk(
                    id=self.ids[Penduduk].take(), desa=desa, keluarga=keluarga, rumah_tangga=rumah, rt=rt, alamat=keluarga.alamat,
                    nik=person.nik, nama=person.nama, jenis_kelamin=person.jenis_kelamin,
                    tempat_lahir=person.tempat_lahir, tanggal_lahir=person.tanggal_lahir, agama=agama,
                    pendidikan_kk=pendidikan, pendidikan_sedang=sedang,
                    pekerjaan=self.occupation(age, person.jenis_kelamin, pendidikan, sedang),
                    status_perkawinan=person.status_perkawinan, perkawinan_tercatat=tercatat,
                    akta_perkawinan=(f"{rng.randint(1, 999):04d}/{rng.randint(1, 300):03d}/{BULAN_ROMAWI[wedding.month - 1]}/{wedding.year}"
                                     if tercatat and person.status_perkawinan == StatusPerkawinan.KAWIN and wedding < self.today else ""),
                    tanggal_perkawinan=wedding if tercatat and wedding < self.today else None,
                    akta_lahir=(f"6201-LT-{person.tanggal_lahir:%d%m%Y}-{rng.randint(1, 9999):04d}"
                                if person.tanggal_lahir.year >= 1990 and rng.random() < 0.8 else ""),
                    kewarganegaraan=Kewarganegaraan.WNI if rng.random() > 0.0005 else Kewarganegaraan.WNA,
                    golongan_darah=self.pick([(GolonganDarah.TIDAK_TAHU, 45), (GolonganDarah.O, 20), (GolonganDarah.A, 15),
                                              (GolonganDarah.B, 15), (GolonganDarah.AB, 5)]),
                    disabilitas=(rng.choice(Disabilitas.values[:6]) if rng.random() < 0.015 else None),
                    nama_ayah=person.ayah.nama if person.ayah else self.name(L),
                    nik_ayah=person.ayah.nik if person.ayah else "",
                    nama_ibu=person.ibu.nama if person.ibu else self.name(P),
                    nik_ibu=person.ibu.nik if person.ibu else "",
                    dapat_membaca_huruf=("" if age < 7 else DapatMembacaHuruf.ARAB_LATIN if agama == Agama.ISLAM and rng.random() < 0.4
                                         else DapatMembacaHuruf.LATIN),
                    hubungan_keluarga=person.hubungan,
                    hubungan_rumah_tangga=(HubunganRumahTangga.KEPALA_RUMAH_TANGGA
                                           if person is members[0] and not shares else HubunganRumahTangga.ANGGOTA),
                    tanggal_mulai_tinggal=next((e[1] for e in person.peristiwa if e[0] in (JenisPeristiwa.PINDAH_DATANG, JenisPeristiwa.LAHIR)),
                                               person.tanggal_lahir if lokal else None),
                    status_penduduk=StatusPenduduk.TETAP if rng.random() > 0.03 else StatusPenduduk.TIDAK_TETAP,
                    status_dasar=person.status_dasar, created_at=now, updated_at=now,
                )
                penduduk_rows.append(row)
                events.extend((row, jenis, tanggal, details) for jenis, tanggal, details in person.peristiwa)
        insert_objects(Penduduk, penduduk_rows)
        insert_objects(NomorKK, [
            NomorKK(id=self.ids[NomorKK].take(), desa=desa, keluarga=k, nomor=k.nomor_kk, tanggal_terbit=k.tanggal_kk, created_at=now)
            for k in keluarga_rows])
        insert_objects(Peristiwa, [
            Peristiwa(id=self.ids[Peristiwa].take(), desa=desa, penduduk=row, jenis=jenis, tanggal=tanggal, rt_id=row.rt_id,
                      created_at=now, **details)
            for row, jenis, tanggal, details in events])

    # --- the whole kecamatan ------------------------------------------------------------------

    def build(self, kode=KECAMATAN_DEMO, penduduk=20000):
        load_wilayah(kode=kode, manage=True)
        villages = list(Desa.objects.filter(kode__startswith=kode + ".").order_by("kode"))
        self.ids = {model: IdBlock(model) for model in ROW_MODELS}
        # Kelurahan (the town of Pangkalan Bun) are larger than the desa around it.
        weights = [self.rng.uniform(2.0, 3.5) if d.jenis == JenisDesa.KELURAHAN else self.rng.uniform(0.5, 1.5) for d in villages]
        total_weight = sum(weights)
        quotas = [max(50, round(penduduk * weight / total_weight)) for weight in weights]
        built = {}
        # One transaction: the residents' indexes are built once, at the end, from the whole
        # table (residents_inserted_in_bulk), instead of growing with every insert.
        with transaction.atomic(), residents_inserted_in_bulk(sum(quotas)):
            for desa, quota in zip(villages, quotas):
                built[desa.kode] = self.build_village(desa, quota)
                self.log(f"  {desa.kode} {desa}: {built[desa.kode]:,} penduduk")
        reset_sequences(*ROW_MODELS)
        analyze(*ROW_MODELS, *NAME_TABLES)
        for step, _reset in _steps():  # later apps' demo rows (penduduk imports none of them)
            step(self, villages)
        return built


def demo_exists(kode=KECAMATAN_DEMO):
    return Penduduk.objects.filter(desa__kode__startswith=kode + ".").exists()


@transaction.atomic
def reset_demo(kode=KECAMATAN_DEMO):
    """Delete every resident-related row in the demo kecamatan (not the region codes)."""
    desa_ids = list(Desa.objects.filter(kode__startswith=kode + ".").values_list("id", flat=True))
    for _build, reset in _steps():
        if reset is not None:
            reset(desa_ids)
    for model in (Peristiwa, NomorKK, Penduduk, Keluarga, RumahTangga, Rt, Rw, Dusun):
        model.objects.filter(desa_id__in=desa_ids).delete()


# Apps above penduduk add their own demo rows after the residents are built (potensi: the village
# profiles): each registers ``fn(kode, rng, log)`` in its AppConfig.ready, so penduduk imports none of them.
