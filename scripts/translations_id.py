"""Bahasa Indonesia for every UI string; `make messages` merges this into the .po and compiles it.

Keep the English msgid on the left exactly as in the code. A string missing here stays untranslated
and `make messages` lists it.
"""

ID = {
    "Kecamatan administrator": "Admin kecamatan",
    "kecamatan administrator": "admin kecamatan",
    "Camat / kecamatan staff": "Camat / staf kecamatan",
    "Village operator": "Operator desa/kelurahan",
    "Kepala desa / lurah / sekretaris": "Kepala desa / lurah / sekretaris",
    "role": "peran",
    "villages": "desa/kelurahan",
    "account": "akun",
    "accounts": "akun",
    "%(label)s must be exactly 16 digits (got %(length)d characters).":
        "%(label)s harus tepat 16 digit angka (terisi %(length)d karakter).",
    "The first two digits of the %(label)s (%(code)s) are not a known province code.":
        "Dua digit pertama %(label)s (%(code)s) bukan kode provinsi yang dikenal.",
    "The month in the %(label)s (digits 9-10: %(month)s) must be 01-12.":
        "Bulan pada %(label)s (digit 9-10: %(month)s) harus 01-12.",
    "The serial number of the %(label)s (last 4 digits) cannot be 0000.":
        "Nomor urut %(label)s (4 digit terakhir) tidak boleh 0000.",
    "The day of birth in the NIK (digits 7-8: %(day)s) must be 01-31 for a man or 41-71 for a woman.":
        "Tanggal lahir pada NIK (digit 7-8: %(day)s) harus 01-31 untuk laki-laki atau 41-71 untuk perempuan.",
    "KK number": "nomor KK",
    "The issue day in the KK number (digits 7-8: %(day)s) must be 01-31.":
        "Tanggal terbit pada nomor KK (digit 7-8: %(day)s) harus 01-31.",
    "The birth date in the NIK (%(day)02d-%(month)02d-%(year)02d) is not a real calendar date.":
        "Tanggal lahir pada NIK (%(day)02d-%(month)02d-%(year)02d) bukan tanggal yang ada di kalender.",
    "The NIK encodes birth date %(nik_date)s, but the recorded birth date is %(recorded)s.":
        "NIK menunjukkan tanggal lahir %(nik_date)s, sedangkan tanggal lahir tercatat %(recorded)s.",
    "The NIK belongs to a woman (day of birth plus 40), but the record says male.":
        "NIK ini milik perempuan (tanggal lahir ditambah 40), tetapi data tercatat laki-laki.",
    "The NIK belongs to a man, but the record says female.":
        "NIK ini milik laki-laki, tetapi data tercatat perempuan.",
    "The recorded birth date is in the future.": "Tanggal lahir tercatat ada di masa depan.",
    "The demo kecamatan is already built; use --reset to build it again.":
        "Kecamatan demo sudah dibangun; pakai --reset untuk membangunnya ulang.",
    "Building Kecamatan Arut Selatan (%(kode)s) with about %(n)s residents...":
        "Membangun Kecamatan Arut Selatan (%(kode)s) dengan sekitar %(n)s penduduk...",
    "Built %(n)s living residents in %(villages)d villages in %(seconds).1f s.":
        "Selesai: %(n)s penduduk hidup di %(villages)d desa/kelurahan dalam %(seconds).1f detik.",
    "Demo logins (change them before real use):": "Akun demo (ganti sebelum dipakai sungguhan):",
    "created": "dibuat",
    "updated": "diubah",
    "address": "alamat",
    "KK issue date": "tanggal terbit KK",
    "issue date": "tanggal terbit",
    "recorded": "dicatat",
    "KK number history": "riwayat nomor KK",
    "household number": "nomor rumah tangga",
    "full name": "nama lengkap",
    "sex": "jenis kelamin",
    "place of birth": "tempat lahir",
    "date of birth": "tanggal lahir",
    "religion": "agama",
    "last education": "pendidikan terakhir",
    "current schooling": "pendidikan yang sedang ditempuh",
    "occupation": "pekerjaan",
    "marital status": "status perkawinan",
    "marriage/divorce registered": "perkawinan/perceraian tercatat",
    "Kawin Tercatat / Cerai Hidup Tercatat": "Kawin Tercatat / Cerai Hidup Tercatat",
    "marriage certificate number": "nomor akta perkawinan",
    "date of marriage": "tanggal perkawinan",
    "divorce certificate number": "nomor akta perceraian",
    "date of divorce": "tanggal perceraian",
    "birth certificate number": "nomor akta kelahiran",
    "citizenship": "kewarganegaraan",
    "blood type": "golongan darah",
    "disability": "disabilitas",
    "father's name": "nama ayah",
    "father's NIK": "NIK ayah",
    "mother's name": "nama ibu",
    "mother's NIK": "NIK ibu",
    "can read": "dapat membaca huruf",
    "relationship in the family": "hubungan dalam keluarga",
    "relationship in the household": "hubungan dalam rumah tangga",
    "living here since": "mulai tinggal di desa",
    "resident type": "status penduduk",
    "life status": "status dasar",
    "event": "peristiwa",
    "date": "tanggal",
    "place": "tempat",
    "origin or destination": "asal atau tujuan",
    "Where they came from or went to.": "Dari mana datang atau ke mana pindah.",
    "The other village, for a move between villages of this installation.":
        "Desa/kelurahan lainnya, untuk pindah antar desa dalam instalasi ini.",
    "cause": "sebab",
    "notes": "keterangan",
    "NIK %(nik)s is already registered to %(nama)s in %(desa)s.":
        "NIK %(nik)s sudah terdaftar atas nama %(nama)s di %(desa)s.",
    "NIK %(nik)s is already registered in another village of this kecamatan.":
        "NIK %(nik)s sudah terdaftar di desa lain dalam kecamatan ini.",
    "The date of the event cannot be in the future.": "Tanggal peristiwa tidak boleh di masa depan.",
    "The date of the event is before the resident's birth date.":
        "Tanggal peristiwa sebelum tanggal lahir penduduk.",
    "The family belongs to another village.": "Keluarga ini terdaftar di desa lain.",
    "This family already has a head: %(nama)s.": "Keluarga ini sudah punya kepala keluarga: %(nama)s.",
    "%(nama)s no longer lives in the village (status: %(status)s).":
        "%(nama)s tidak lagi tinggal di desa (status: %(status)s).",
    "%(nama)s is the head of a family: choose a family member as the new head.":
        "%(nama)s adalah kepala keluarga: pilih anggota keluarga sebagai kepala keluarga baru.",
    "The resident already lives in %(desa)s.": "Penduduk ini sudah tinggal di %(desa)s.",
    "Kecamatan": "Kecamatan",
    "No villages yet": "Belum ada desa/kelurahan",
    "This installation does not serve any village yet. An administrator loads them with "
    "<code>sidekel wilayah load --kode 62.01.02 --manage</code>.":
        "Instalasi ini belum melayani desa/kelurahan mana pun. Admin memuatnya dengan "
        "<code>sidekel wilayah load --kode 62.01.02 --manage</code>.",
    "code": "kode",
    "Village": "Desa/Kelurahan",
    "Type": "Jenis",
    "Code": "Kode",
    "Residents": "Penduduk",
    "Village and kelurahan information system": "Sistem Informasi Desa dan Kelurahan",
    "Log in": "Masuk",
    "Region data": "Data wilayah",
    "Regions loaded in %(seconds).1f s: %(provinsi)d provinces, %(kabupaten)d regencies/cities, "
    "%(kecamatan)d districts, %(desa)d villages.":
        "Wilayah dimuat dalam %(seconds).1f detik: %(provinsi)d provinsi, %(kabupaten)d kabupaten/kota, "
        "%(kecamatan)d kecamatan, %(desa)d desa/kelurahan.",
    "%(managed)d villages are served by this installation.":
        "%(managed)d desa/kelurahan dilayani oleh instalasi ini.",
    "name": "nama",
    "type": "jenis",
    "served by this installation": "dilayani instalasi ini",
    "Only villages served by this installation hold residents and appear on its pages.":
        "Hanya desa/kelurahan yang dilayani instalasi ini yang memuat penduduk dan tampil di halamannya.",
    "name for a dusun": "sebutan dusun",
    'What this village calls its first subdivision, e.g. "Dusun" or "Lingkungan".':
        'Sebutan wilayah di bawah desa/kelurahan ini, misalnya "Dusun" atau "Lingkungan".',
    "postal code": "kode pos",
    "number": "nomor",
    "Region code %(kode)s is not in the dotted form, e.g. 62.01.02 or 62.01.02.2010.":
        "Kode wilayah %(kode)s tidak dalam bentuk bertitik, misalnya 62.01.02 atau 62.01.02.2010.",
    "Name the region to serve with a code (--kode), e.g. 62.01.02.":
        "Sebutkan wilayah yang dilayani dengan kodenya (--kode), misalnya 62.01.02.",
    "No region with code %(kode)s in the Kemendagri list.":
        "Tidak ada wilayah berkode %(kode)s dalam daftar Kemendagri.",
    "No village under region code %(kode)s.": "Tidak ada desa/kelurahan di bawah kode wilayah %(kode)s.",
}

PLURALS = {
    "%(total)s residents in %(n)s village": ("%(total)s penduduk di %(n)s desa/kelurahan",),
}
