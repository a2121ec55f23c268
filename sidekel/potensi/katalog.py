"""The first catalogue of indicators, shaped like Prodeskel's groups (standards.md §5).

Loaded by the data migration 0002; afterwards the kecamatan admin adds and retires indicators on
the catalogue page (never edits the meaning of one in use). Each entry:
(kode, subkelompok, nama, satuan, tipe, minimum, maksimum, desimal, pilihan, berlaku).
"""

from .choices import Berlaku, Kelompok, Tipe

N, YT, P, T = Tipe.ANGKA, Tipe.YA_TIDAK, Tipe.PILIHAN, Tipe.TEKS
SEMUA, DESA, KEL = Berlaku.SEMUA, Berlaku.DESA, Berlaku.KELURAHAN


def num(kode, sub, nama, satuan, maks, desimal=0, berlaku=SEMUA, minimum=0):
    return (kode, sub, nama, satuan, N, minimum, maks, desimal, [], berlaku)


def yn(kode, sub, nama, berlaku=SEMUA):
    return (kode, sub, nama, "", YT, None, None, 0, [], berlaku)


def choice(kode, sub, nama, pilihan, berlaku=SEMUA):
    return (kode, sub, nama, "", P, None, None, 0, list(pilihan), berlaku)


def text(kode, sub, nama, berlaku=SEMUA):
    return (kode, sub, nama, "", T, None, None, 0, [], berlaku)


HA, KM, TON, UNIT, EKOR, ORANG, KK = "ha", "km", "ton", "unit", "ekor", "orang", "KK"

SDA = [
    num("sda.umum.luas", "Umum", "Luas wilayah", HA, 500000, 2),
    num("sda.umum.ketinggian", "Umum", "Ketinggian dari permukaan laut", "mdpl", 5000),
    num("sda.umum.curah-hujan", "Umum", "Curah hujan rata-rata", "mm/tahun", 10000),
    num("sda.umum.bulan-hujan", "Umum", "Jumlah bulan hujan", "bulan", 12),
    choice("sda.umum.jenis-tanah", "Umum", "Jenis tanah dominan",
           ["aluvial", "latosol", "podsolik", "gambut", "regosol", "lainnya"]),
    choice("sda.umum.kesuburan", "Umum", "Tingkat kesuburan tanah", ["sangat subur", "subur", "sedang", "tidak subur"]),
    choice("sda.umum.bentang", "Umum", "Bentang wilayah",
           ["dataran rendah", "dataran tinggi", "perbukitan", "lereng gunung", "pesisir", "bantaran sungai"]),
    num("sda.orbitasi.jarak-kecamatan", "Orbitasi", "Jarak ke ibu kota kecamatan", KM, 1000, 1),
    num("sda.orbitasi.waktu-kecamatan", "Orbitasi", "Waktu tempuh ke ibu kota kecamatan", "jam", 100, 1),
    num("sda.orbitasi.jarak-kabupaten", "Orbitasi", "Jarak ke ibu kota kabupaten", KM, 2000, 1),
    num("sda.orbitasi.waktu-kabupaten", "Orbitasi", "Waktu tempuh ke ibu kota kabupaten", "jam", 200, 1),
    num("sda.orbitasi.jarak-provinsi", "Orbitasi", "Jarak ke ibu kota provinsi", KM, 5000, 1),
]
LAHAN = [
    ("sawah-teknis", "Sawah irigasi teknis"), ("sawah-setengah-teknis", "Sawah irigasi setengah teknis"),
    ("sawah-tadah-hujan", "Sawah tadah hujan"), ("sawah-pasang-surut", "Sawah pasang surut"),
    ("tegal", "Tegal/ladang"), ("pemukiman", "Pemukiman"), ("pekarangan", "Pekarangan"),
    ("kebun-rakyat", "Perkebunan rakyat"), ("kebun-swasta", "Perkebunan swasta/negara"),
    ("hutan-lindung", "Hutan lindung"), ("hutan-produksi", "Hutan produksi"), ("hutan-rakyat", "Hutan rakyat"),
    ("rawa", "Rawa"), ("tanah-kas-desa", "Tanah kas desa/kelurahan"), ("fasilitas-umum", "Fasilitas umum"),
    ("kritis", "Lahan kritis/terlantar"),
]
SDA += [num(f"sda.lahan.{k}", "Penggunaan lahan", n, HA, 500000, 2) for k, n in LAHAN]
PANGAN = [("padi-sawah", "Padi sawah"), ("padi-ladang", "Padi ladang"), ("jagung", "Jagung"), ("kedelai", "Kedelai"),
          ("kacang-tanah", "Kacang tanah"), ("ubi-kayu", "Ubi kayu"), ("ubi-jalar", "Ubi jalar"), ("sayur", "Sayur-mayur")]
BUAH = [("pisang", "Pisang"), ("durian", "Durian"), ("rambutan", "Rambutan"), ("nanas", "Nanas"), ("jeruk", "Jeruk"),
        ("mangga", "Mangga")]
KEBUN = [("sawit", "Kelapa sawit"), ("karet", "Karet"), ("kelapa", "Kelapa"), ("kopi", "Kopi"), ("kakao", "Kakao"),
         ("lada", "Lada")]
for sub, prefix, items in (("Tanaman pangan", "pangan", PANGAN), ("Buah-buahan", "buah", BUAH),
                           ("Perkebunan", "kebun", KEBUN)):
    for k, n in items:
        SDA.append(num(f"sda.{prefix}.{k}.luas", sub, f"{n}: luas tanam", HA, 100000, 2))
        SDA.append(num(f"sda.{prefix}.{k}.hasil", sub, f"{n}: hasil panen", TON, 1000000, 2))
SDA += [
    num("sda.hutan.kayu", "Kehutanan", "Produksi kayu", "m3", 1000000, 1),
    num("sda.hutan.rotan", "Kehutanan", "Produksi rotan", TON, 100000, 1),
    num("sda.hutan.madu", "Kehutanan", "Produksi madu hutan", "liter", 1000000),
    yn("sda.hutan.kebakaran", "Kehutanan", "Terjadi kebakaran hutan/lahan tahun ini"),
]
TERNAK = [("sapi", "Sapi"), ("kerbau", "Kerbau"), ("kambing", "Kambing"), ("domba", "Domba"), ("babi", "Babi"),
          ("ayam-kampung", "Ayam kampung"), ("ayam-ras", "Ayam ras"), ("itik", "Itik"), ("kelinci", "Kelinci")]
SDA += [num(f"sda.ternak.{k}", "Peternakan", n, EKOR, 10000000) for k, n in TERNAK]
SDA += [
    num("sda.ikan.tambak", "Perikanan", "Luas tambak", HA, 100000, 2),
    num("sda.ikan.kolam", "Perikanan", "Luas kolam", HA, 100000, 2),
    num("sda.ikan.keramba", "Perikanan", "Keramba", UNIT, 100000),
    num("sda.ikan.tangkap", "Perikanan", "Produksi perikanan tangkap", TON, 1000000, 1),
    num("sda.ikan.budidaya", "Perikanan", "Produksi perikanan budidaya", TON, 1000000, 1),
]
TAMBANG = [("pasir", "Pasir"), ("batu", "Batu"), ("tanah-liat", "Tanah liat"), ("emas", "Emas"),
           ("batubara", "Batubara"), ("zirkon", "Zirkon")]
SDA += [yn(f"sda.tambang.{k}", "Bahan galian", f"Ada {n.lower()}") for k, n in TAMBANG]
SDA += [
    num("sda.air.mata-air", "Sumber air", "Mata air", UNIT, 10000),
    num("sda.air.sungai", "Sumber air", "Sungai", UNIT, 1000),
    num("sda.air.danau", "Sumber air", "Danau/embung", UNIT, 1000),
    num("sda.air.sumur-gali", "Sumber air", "Sumur gali", UNIT, 100000),
    choice("sda.air.sumber-utama", "Sumber air", "Sumber air minum utama",
           ["PDAM", "sumur bor", "sumur gali", "mata air", "sungai", "air hujan", "air kemasan"]),
    choice("sda.air.kualitas", "Sumber air", "Kualitas air minum", ["baik", "berbau", "berwarna", "berasa", "tercemar"]),
    yn("sda.lingkungan.polusi-udara", "Kualitas lingkungan", "Ada pencemaran udara"),
    yn("sda.lingkungan.polusi-air", "Kualitas lingkungan", "Ada pencemaran air"),
    yn("sda.lingkungan.bising", "Kualitas lingkungan", "Ada kebisingan mengganggu"),
    num("sda.lingkungan.taman", "Kualitas lingkungan", "Taman/ruang publik", UNIT, 1000),
    num("sda.wisata.objek", "Wisata", "Objek wisata", UNIT, 1000),
    num("sda.wisata.luas", "Wisata", "Luas kawasan wisata", HA, 100000, 2),
    yn("sda.wisata.alam", "Wisata", "Ada wisata alam"),
    text("sda.wisata.utama", "Wisata", "Objek wisata utama"),
    num("sda.wisata.pengunjung", "Wisata", "Pengunjung per tahun", ORANG, 10000000),
]

KELEMBAGAAN = [
    num("lembaga.pemerintahan.perangkat", "Pemerintahan", "Perangkat desa/kelurahan", ORANG, 1000),
    yn("lembaga.pemerintahan.bpd", "Pemerintahan", "Ada Badan Permusyawaratan Desa (BPD)", DESA),
    num("lembaga.pemerintahan.anggota-bpd", "Pemerintahan", "Anggota BPD", ORANG, 15, berlaku=DESA),
    num("lembaga.pemerintahan.perdes", "Pemerintahan", "Peraturan desa ditetapkan tahun ini", "buah", 100, berlaku=DESA),
    yn("lembaga.masyarakat.lpm", "Kemasyarakatan", "Ada LPM/LKD"),
    num("lembaga.masyarakat.anggota-lpm", "Kemasyarakatan", "Pengurus LPM/LKD", ORANG, 1000),
    yn("lembaga.masyarakat.pkk", "Kemasyarakatan", "Ada Tim Penggerak PKK"),
    num("lembaga.masyarakat.anggota-pkk", "Kemasyarakatan", "Pengurus PKK", ORANG, 1000),
    num("lembaga.masyarakat.dasawisma", "Kemasyarakatan", "Kelompok Dasawisma", "kelompok", 1000),
    yn("lembaga.masyarakat.karang-taruna", "Kemasyarakatan", "Ada Karang Taruna"),
    num("lembaga.masyarakat.anggota-karang-taruna", "Kemasyarakatan", "Anggota Karang Taruna", ORANG, 10000),
    num("lembaga.masyarakat.rt", "Kemasyarakatan", "Rukun Tetangga (RT)", UNIT, 1000),
    num("lembaga.masyarakat.rw", "Kemasyarakatan", "Rukun Warga (RW)", UNIT, 500),
    num("lembaga.masyarakat.kader-posyandu", "Kemasyarakatan", "Kader posyandu", ORANG, 1000),
    num("lembaga.ekonomi.koperasi", "Ekonomi", "Koperasi", UNIT, 1000),
    num("lembaga.ekonomi.anggota-koperasi", "Ekonomi", "Anggota koperasi", ORANG, 100000),
    yn("lembaga.ekonomi.bumdes", "Ekonomi", "Ada BUMDes", DESA),
    num("lembaga.ekonomi.unit-bumdes", "Ekonomi", "Unit usaha BUMDes", UNIT, 100, berlaku=DESA),
    num("lembaga.ekonomi.modal-bumdes", "Ekonomi", "Modal BUMDes", "juta Rp", 100000, 1, berlaku=DESA),
    num("lembaga.ekonomi.industri-kecil", "Ekonomi", "Industri kecil dan rumah tangga", UNIT, 10000),
    num("lembaga.ekonomi.kelompok-tani", "Ekonomi", "Kelompok tani", "kelompok", 1000),
    yn("lembaga.adat.ada", "Adat", "Ada lembaga adat"),
    text("lembaga.adat.nama", "Adat", "Nama lembaga adat"),
    num("lembaga.keamanan.linmas", "Keamanan", "Anggota Linmas", ORANG, 1000),
    num("lembaga.keamanan.poskamling", "Keamanan", "Pos kamling", UNIT, 1000),
    yn("lembaga.keamanan.siskamling", "Keamanan", "Siskamling berjalan"),
    yn("lembaga.keamanan.babinsa", "Keamanan", "Ada Babinsa dan Bhabinkamtibmas"),
    num("lembaga.sosial.organisasi-keagamaan", "Sosial dan politik", "Organisasi keagamaan", UNIT, 1000),
    num("lembaga.sosial.organisasi-profesi", "Sosial dan politik", "Organisasi profesi", UNIT, 1000),
    num("lembaga.sosial.partai", "Sosial dan politik", "Kepengurusan partai politik", UNIT, 100),
]

KONDISI = ["baik", "sedang", "rusak ringan", "rusak berat"]
PRASARANA = [
    num("prasarana.jalan.aspal-baik", "Transportasi", "Jalan aspal kondisi baik", KM, 10000, 2),
    num("prasarana.jalan.aspal-rusak", "Transportasi", "Jalan aspal rusak", KM, 10000, 2),
    num("prasarana.jalan.beton", "Transportasi", "Jalan beton/rabat", KM, 10000, 2),
    num("prasarana.jalan.kerikil", "Transportasi", "Jalan makadam/kerikil", KM, 10000, 2),
    num("prasarana.jalan.tanah", "Transportasi", "Jalan tanah", KM, 10000, 2),
    num("prasarana.jalan.jembatan-beton", "Transportasi", "Jembatan beton", UNIT, 1000),
    num("prasarana.jalan.jembatan-kayu", "Transportasi", "Jembatan kayu", UNIT, 1000),
    choice("prasarana.jalan.kondisi-jembatan", "Transportasi", "Kondisi jembatan umumnya", KONDISI),
    num("prasarana.jalan.dermaga", "Transportasi", "Dermaga/tambatan perahu", UNIT, 100),
    yn("prasarana.jalan.angkutan-umum", "Transportasi", "Dilalui angkutan umum"),
    choice("prasarana.komunikasi.sinyal", "Komunikasi", "Sinyal telepon seluler", ["tidak ada", "lemah", "kuat"]),
    choice("prasarana.komunikasi.internet", "Komunikasi", "Akses internet terbaik",
           ["tidak ada", "2G/3G", "4G", "5G", "kabel/serat optik"]),
    num("prasarana.komunikasi.bts", "Komunikasi", "Menara BTS", UNIT, 100),
    yn("prasarana.komunikasi.wifi-publik", "Komunikasi", "Ada wifi publik/desa"),
    num("prasarana.komunikasi.pos", "Komunikasi", "Kantor pos/agen pos", UNIT, 100),
    yn("prasarana.komunikasi.radio-komunitas", "Komunikasi", "Ada radio komunitas"),
    num("prasarana.air.sumur-bor", "Air bersih", "Sumur bor", UNIT, 10000),
    num("prasarana.air.hidran", "Air bersih", "Hidran umum", UNIT, 1000),
    num("prasarana.air.pam", "Air bersih", "Rumah tangga pelanggan PDAM/PAMSIMAS", KK, 100000),
    num("prasarana.air.penampung-hujan", "Air bersih", "Penampung air hujan", UNIT, 100000),
    num("prasarana.sanitasi.jamban", "Sanitasi", "Rumah tangga dengan jamban sendiri", KK, 100000),
    num("prasarana.sanitasi.mck", "Sanitasi", "MCK umum", UNIT, 1000),
    num("prasarana.sanitasi.tps", "Sanitasi", "Tempat pembuangan sampah sementara", UNIT, 1000),
    yn("prasarana.sanitasi.bank-sampah", "Sanitasi", "Ada bank sampah"),
    num("prasarana.irigasi.primer", "Irigasi", "Saluran irigasi primer", KM, 1000, 2),
    num("prasarana.irigasi.sekunder", "Irigasi", "Saluran irigasi sekunder", KM, 1000, 2),
    num("prasarana.irigasi.tersier", "Irigasi", "Saluran irigasi tersier", KM, 1000, 2),
    num("prasarana.irigasi.pintu-air", "Irigasi", "Pintu air", UNIT, 1000),
    choice("prasarana.irigasi.kondisi", "Irigasi", "Kondisi saluran irigasi", KONDISI),
    num("prasarana.energi.pln", "Energi", "Rumah tangga berlistrik PLN", KK, 100000),
    num("prasarana.energi.non-pln", "Energi", "Rumah tangga berlistrik non-PLN (genset, surya)", KK, 100000),
    num("prasarana.energi.tanpa-listrik", "Energi", "Rumah tangga tanpa listrik", KK, 100000),
    num("prasarana.energi.lampu-jalan", "Energi", "Lampu penerangan jalan", UNIT, 10000),
    choice("prasarana.kantor.gedung", "Pemerintahan", "Kantor desa/kelurahan", ["permanen", "semi permanen",
                                                                                "menumpang", "tidak ada"]),
    num("prasarana.kantor.komputer", "Pemerintahan", "Komputer kantor", UNIT, 1000),
    num("prasarana.kantor.kendaraan", "Pemerintahan", "Kendaraan dinas", UNIT, 100),
    num("prasarana.kantor.balai", "Pemerintahan", "Balai pertemuan", UNIT, 100),
]
IBADAH = [("masjid", "Masjid"), ("musala", "Musala/langgar"), ("gereja-kristen", "Gereja Kristen"),
          ("gereja-katolik", "Gereja Katolik"), ("pura", "Pura"), ("vihara", "Vihara"), ("klenteng", "Klenteng"),
          ("balai-basarah", "Balai Basarah (Kaharingan)")]
PRASARANA += [num(f"prasarana.ibadah.{k}", "Tempat ibadah", n, UNIT, 1000) for k, n in IBADAH]
OLAHRAGA = [("sepak-bola", "Lapangan sepak bola"), ("voli", "Lapangan bola voli"), ("bulu-tangkis", "Lapangan bulu tangkis"),
            ("futsal", "Lapangan futsal"), ("gor", "Gedung olahraga")]
PRASARANA += [num(f"prasarana.olahraga.{k}", "Olahraga", n, UNIT, 1000) for k, n in OLAHRAGA]
KESEHATAN = [("puskesmas", "Puskesmas"), ("pustu", "Puskesmas pembantu"), ("poskesdes", "Poskesdes/polindes"),
             ("posyandu", "Posyandu"), ("praktik-dokter", "Praktik dokter"), ("praktik-bidan", "Praktik bidan"),
             ("apotek", "Apotek/toko obat")]
PRASARANA += [num(f"prasarana.kesehatan.{k}", "Kesehatan", n, UNIT, 1000) for k, n in KESEHATAN]
PRASARANA += [num("prasarana.kesehatan.tenaga", "Kesehatan", "Tenaga kesehatan", ORANG, 10000)]
PENDIDIKAN = [("paud", "PAUD/kelompok bermain"), ("tk", "TK/RA"), ("sd", "SD/MI"), ("smp", "SMP/MTs"),
              ("sma", "SMA/SMK/MA"), ("pt", "Perguruan tinggi"), ("pesantren", "Pondok pesantren"),
              ("perpustakaan", "Perpustakaan desa/taman bacaan")]
PRASARANA += [num(f"prasarana.pendidikan.{k}", "Pendidikan", n, UNIT, 1000) for k, n in PENDIDIKAN]
PRASARANA += [
    num("prasarana.pendidikan.guru", "Pendidikan", "Guru", ORANG, 10000),
    num("prasarana.ekonomi.pasar", "Pasar dan ekonomi", "Pasar", UNIT, 100),
    num("prasarana.ekonomi.toko", "Pasar dan ekonomi", "Toko/warung", UNIT, 100000),
    num("prasarana.ekonomi.bank", "Pasar dan ekonomi", "Bank/agen bank", UNIT, 1000),
]

KATALOG = [(Kelompok.SDA, row) for row in SDA] + [(Kelompok.KELEMBAGAAN, row) for row in KELEMBAGAAN] + \
          [(Kelompok.PRASARANA, row) for row in PRASARANA]


def load(Indikator):
    """Create the catalogue's indicators that are not there yet (by code); returns how many."""
    existing = set(Indikator.objects.values_list("kode", flat=True))
    rows = []
    for urutan, (kelompok, (kode, sub, nama, satuan, tipe, minimum, maksimum, desimal, pilihan, berlaku)) in \
            enumerate(KATALOG, start=1):
        if kode in existing:
            continue
        rows.append(Indikator(kode=kode, kelompok=str(kelompok), subkelompok=sub, nama=nama, satuan=satuan,
                              tipe=str(tipe), minimum=minimum, maksimum=maksimum, desimal=desimal, pilihan=pilihan,
                              berlaku=str(berlaku), urutan=urutan * 10))
    Indikator.objects.bulk_create(rows)
    return len(rows)
