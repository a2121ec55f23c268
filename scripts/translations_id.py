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

ID.update({
    "Username": "Nama pengguna",
    "Password": "Kata sandi",
    "Too many failed attempts. Wait %(minutes)d minutes, or ask the kecamatan administrator.":
        "Terlalu banyak percobaan gagal. Tunggu %(minutes)d menit, atau hubungi admin kecamatan.",
    "Wrong username or password, or the account is not active.":
        "Nama pengguna atau kata sandi salah, atau akun tidak aktif.",
    "Password: ": "Kata sandi: ",
    "Password again: ": "Ulangi kata sandi: ",
    "The two passwords differ.": "Kedua kata sandi berbeda.",
    "Account %(username)s created (%(role)s).": "Akun %(username)s dibuat (%(role)s).",
    "active": "aktif",
    "deactivated": "nonaktif",
    "Account %(username)s is deactivated.": "Akun %(username)s dinonaktifkan.",
    "API token": "token API",
    "API tokens": "token API",
    "Account %(username)s already exists.": "Akun %(username)s sudah ada.",
    "Village %(kode)s is not served by this installation.": "Desa/kelurahan %(kode)s tidak dilayani instalasi ini.",
    "An operator or kepala desa account needs at least one village (--desa).":
        "Akun operator atau kepala desa perlu paling sedikit satu desa/kelurahan (--desa).",
    "There is no account %(username)s.": "Tidak ada akun %(username)s.",
    "For officials of the kecamatan, desa and kelurahan. Use your own account; never share it.":
        "Untuk petugas kecamatan, desa dan kelurahan. Pakai akun Anda sendiri; jangan pernah dipinjamkan.",
    "Write the date as dd-mm-yyyy, e.g. 17-08-1990.": "Tulis tanggal sebagai hh-bb-tttt, misalnya 17-08-1990.",
    "changed": "diubah",
    "deleted": "dihapus",
    "restored": "dipulihkan",
    "time": "waktu",
    "action": "tindakan",
    "by": "oleh",
    "reason": "alasan",
    "change": "perubahan",
    "change history": "riwayat perubahan",
    "viewed": "dilihat",
    "searched": "dicari",
    "exported": "diekspor",
    "revealed NIK/KK": "NIK/KK dibuka",
    "access log entry": "catatan akses",
    "access log": "log akses",
    "You may not change data of this village.": "Anda tidak berhak mengubah data desa/kelurahan ini.",
    "Reason for the change (optional)": "Alasan perubahan (boleh kosong)",
    "RT": "RT",
    "Identity": "Identitas",
    "Family": "Keluarga",
    "Education and work": "Pendidikan dan pekerjaan",
    "Marriage": "Perkawinan",
    "Address": "Alamat",
    "Event": "Peristiwa",
    "Date of the event": "Tanggal peristiwa",
    "New head of the family": "Kepala keluarga baru",
    "%(nama)s is the head of the family; choose who takes over.":
        "%(nama)s adalah kepala keluarga; pilih siapa yang menggantikan.",
    "Place of death": "Tempat meninggal",
    "Cause": "Sebab",
    "Moving to (address, village, kabupaten)": "Pindah ke (alamat, desa, kabupaten)",
    "Date of arrival": "Tanggal datang",
    "Came from (address, village, kabupaten)": "Datang dari (alamat, desa, kabupaten)",
    "Baby's name": "Nama bayi",
    "Sex": "Jenis kelamin",
    "Date of birth": "Tanggal lahir",
    "Place of birth": "Tempat lahir",
    "NIK (if already issued)": "NIK (jika sudah terbit)",
    "Mother": "Ibu",
    "Father": "Ayah",
    "Relationship of the old head from now on": "Hubungan kepala keluarga lama mulai sekarang",
    "New KK number": "Nomor KK baru",
    "Issue date": "Tanggal terbit",
    "Reason for deleting": "Alasan menghapus",
    "Name A-Z": "Nama A-Z",
    "Name Z-A": "Nama Z-A",
    "Youngest first": "Termuda dulu",
    "Oldest first": "Tertua dulu",
    "Newest record first": "Data terbaru dulu",
    "Name or NIK": "Nama atau NIK",
    "Dusun": "Dusun",
    "RW": "RW",
    "Status": "Status",
    "All": "Semua",
    "Age from": "Umur dari",
    "Age to": "Umur sampai",
    "Education": "Pendidikan",
    "Occupation": "Pekerjaan",
    "Sort": "Urutkan",
    "The upper age must not be below the lower age.": "Batas umur atas tidak boleh di bawah batas bawah.",
    "camat: reads every village, changes nothing": "camat: melihat semua desa, tidak mengubah",
    "operator of Kelurahan Raja": "operator Kelurahan Raja",
    "operator of Desa Rangda": "operator Desa Rangda",
    "kepala desa of Rangda: reads, does not edit": "kepala Desa Rangda: melihat, tidak mengubah",
    "NIK %(nik)s belongs to the deleted record of %(nama)s in %(desa)s; restore that record instead.":
        "NIK %(nik)s milik data terhapus %(nama)s di %(desa)s; pulihkan data itu saja.",
    "This RT belongs to another village.": "RT ini milik desa/kelurahan lain.",
    "This resident has been deleted.": "Penduduk ini sudah dihapus.",
    "%(nama)s was changed by %(user)s at %(time)s while you were editing. Reload the page to see the new "
    "data, then make your change again.":
        "Data %(nama)s diubah oleh %(user)s pada %(time)s saat Anda sedang mengedit. Muat ulang halaman untuk "
        "melihat data terbaru, lalu ulangi perubahan Anda.",
    "someone else": "orang lain",
    "These fields cannot be changed here: %(fields)s": "Isian berikut tidak dapat diubah di sini: %(fields)s",
    "Give a reason for deleting this resident.": "Tuliskan alasan menghapus penduduk ini.",
    "%(nama)s is the head of a family with other members: change the head first.":
        "%(nama)s adalah kepala keluarga yang masih punya anggota: ganti kepala keluarga dulu.",
    "Only the kecamatan administrator can restore deleted residents.":
        "Hanya admin kecamatan yang dapat memulihkan penduduk terhapus.",
    "Only changes of a resident's data can be restored.": "Hanya perubahan data penduduk yang dapat dikembalikan.",
    "This change has no data fields to restore.": "Perubahan ini tidak memuat isian data yang dapat dikembalikan.",
    "Restored the values from before the change of %(time)s": "Mengembalikan isian sebelum perubahan %(time)s",
    "KK number %(nomor)s is already registered.": "Nomor KK %(nomor)s sudah terdaftar.",
    "The new head must be a living member of this family.": "Kepala keluarga baru harus anggota keluarga ini yang masih hidup.",
    "Choose the old head's new relationship in the family.": "Pilih hubungan baru kepala keluarga lama dalam keluarga.",
    "Check the filters:": "Periksa saringan:",
    "Name": "Nama",
    "Born": "Lahir",
    "No resident matches. Try part of the name, or clear the filters.":
        "Tidak ada penduduk yang cocok. Coba sebagian nama, atau kosongkan saringan.",
    "Previous": "Sebelumnya",
    "Next": "Berikutnya",
    "Show full numbers (recorded)": "Tampilkan nomor lengkap (dicatat)",
    "Edit": "Ubah",
    "Record death": "Catat kematian",
    "Record moving away": "Catat pindah keluar",
    "Delete": "Hapus",
    "Personal data": "Data pribadi",
    "Place, date of birth": "Tempat, tanggal lahir",
    "%(n)s years": "%(n)s tahun",
    "Religion": "Agama",
    "Relationship in the family": "Hubungan dalam keluarga",
    "Last education": "Pendidikan terakhir",
    "Current schooling": "Pendidikan yang sedang ditempuh",
    "Marital status": "Status perkawinan",
    "registered": "tercatat",
    "Citizenship": "Kewarganegaraan",
    "Blood type": "Golongan darah",
    "Living here since": "Mulai tinggal di sini",
    "Resident type": "Status penduduk",
    "Relationship": "Hubungan",
    "Events": "Peristiwa",
    "History of changes": "Riwayat perubahan",
    "Field": "Isian",
    "Before": "Sebelum",
    "After": "Sesudah",
    "Restore the values before this change": "Kembalikan isian sebelum perubahan ini",
    "No changes recorded yet.": "Belum ada perubahan yang tercatat.",
    "Save": "Simpan",
    "Cancel": "Batal",
    "Fields marked * must be filled. Write dates as dd-mm-yyyy.":
        "Isian bertanda * wajib diisi. Tulis tanggal sebagai hh-bb-tttt.",
    "Some fields need attention; they are marked below.": "Beberapa isian perlu diperbaiki; tandanya ada di bawah.",
    "Record a birth": "Catat kelahiran",
    "Add a member": "Tambah anggota",
    "Change the head": "Ganti kepala keluarga",
    "Issued": "Terbit",
    "Members": "Anggota",
    "Earlier KK numbers": "Nomor KK sebelumnya",
    "Add a resident": "Tambah penduduk",
    "Someone moves in": "Pindah datang",
    "Search": "Cari",
    "More filters": "Saringan lain",
    "Choose a village": "Pilih desa/kelurahan",
    "You may not add residents to any village.": "Anda tidak berhak menambah penduduk di desa/kelurahan mana pun.",
    "Deleted residents": "Penduduk terhapus",
    "Deleted": "Terhapus",
    "Restore": "Pulihkan",
    "Nothing has been deleted.": "Belum ada yang dihapus.",
    "You may read but not change data of this village.": "Anda boleh melihat tetapi tidak mengubah data desa/kelurahan ini.",
    "You may not see full NIK and KK numbers.": "Anda tidak berhak melihat NIK dan nomor KK lengkap.",
    "%(nama)s has been added.": "%(nama)s sudah ditambahkan.",
    "Add a resident of %(desa)s": "Tambah penduduk %(desa)s",
    "The data of %(nama)s has been saved.": "Data %(nama)s sudah disimpan.",
    "Edit %(nama)s": "Ubah data %(nama)s",
    "%(nama)s has been deleted. The kecamatan administrator can restore the record.":
        "%(nama)s sudah dihapus. Admin kecamatan dapat memulihkan datanya.",
    "Delete %(nama)s": "Hapus %(nama)s",
    "The earlier values have been restored.": "Isian sebelumnya sudah dikembalikan.",
    "The event has been recorded.": "Peristiwa sudah dicatat.",
    "Record the death of %(nama)s": "Catat kematian %(nama)s",
    "Record that %(nama)s moves away": "Catat kepindahan %(nama)s",
    "%(nama)s has been recorded as moving in.": "%(nama)s sudah dicatat sebagai pindah datang.",
    "Record someone moving into %(desa)s": "Catat pindah datang ke %(desa)s",
    "%(nama)s has been added to the family.": "%(nama)s sudah ditambahkan ke keluarga.",
    "Add a member to KK %(nomor)s": "Tambah anggota KK %(nomor)s",
    "The birth has been recorded.": "Kelahiran sudah dicatat.",
    "Change the head of the family": "Ganti kepala keluarga",
    "The head of the family has been changed.": "Kepala keluarga sudah diganti.",
    "Record a newly issued KK": "Catat KK yang baru terbit",
    "The new KK number has been recorded.": "Nomor KK baru sudah dicatat.",
    "Only the kecamatan administrator sees deleted residents.": "Hanya admin kecamatan yang melihat penduduk terhapus.",
    "{} has been restored.": "{} sudah dipulihkan.",
    "Main menu": "Menu utama",
    "Villages": "Desa/Kelurahan",
    "Log out": "Keluar",
    "living residents": "penduduk hidup",
    "men": "laki-laki",
    "women": "perempuan",
    "families (KK)": "keluarga (KK)",
    "Find a resident": "Cari penduduk",
    "Recent changes": "Perubahan terakhir",
    "Time": "Waktu",
    "What": "Apa",
    "By": "Oleh",
    "Last change": "Perubahan terakhir",
    "none yet": "belum ada",
    "Your account is not linked to any village yet. Ask the kecamatan administrator.":
        "Akun Anda belum terhubung ke desa/kelurahan mana pun. Hubungi admin kecamatan.",
})

PLURALS.update({
    "%(total_text)s resident found": ("%(total_text)s penduduk ditemukan",),
    "%(total)s living residents in %(n)s village": ("%(total)s penduduk hidup di %(n)s desa/kelurahan",),
})

ID.update({
    "Not found.": "Tidak ditemukan.",
    "Log in first: send a valid token as Authorization: Bearer <token>.":
        "Masuk dulu: kirim token yang sah sebagai Authorization: Bearer <token>.",
    "invalid value (%(type)s)": "nilai tidak sah (%(type)s)",
    "The data sent is not valid.": "Data yang dikirim tidak sah.",
})

ID.update({
    "Pruned %(changes)d change records (older than %(cdays)d days) and %(access)d access records "
    "(older than %(adays)d days).":
        "Dihapus %(changes)d catatan perubahan (lebih dari %(cdays)d hari) dan %(access)d catatan akses "
        "(lebih dari %(adays)d hari).",
})

ID.update({
    "Not found": "Tidak ditemukan",
    "This page does not exist, or it belongs to a village your account does not serve.":
        "Halaman ini tidak ada, atau milik desa/kelurahan yang tidak dilayani akun Anda.",
    "Back to the start": "Kembali ke awal",
    "Not allowed": "Tidak diizinkan",
    "Your account may not do this.": "Akun Anda tidak berhak melakukan ini.",
    "Back": "Kembali",
})

ID.update({
    "family of %(nama)s": "keluarga %(nama)s",
})

# Import and export (issue 4).
ID.update({
    "An unexpected error stopped the job; nothing was changed. Tell the kecamatan administrator (job %(id)d).":
        "Kesalahan tak terduga menghentikan proses; tidak ada yang berubah. Beri tahu admin kecamatan (proses %(id)d).",
    "running": "berjalan",
    "finished": "selesai",
    "failed": "gagal",
    "cancelled": "dibatalkan",
    "The file is damaged: it looks like an Excel/ODS file but cannot be opened.":
        "Berkas rusak: tampak seperti berkas Excel/ODS tetapi tidak dapat dibuka.",
    "The file unpacks to far more data than a spreadsheet holds; it is refused for safety.":
        "Isi berkas ini jauh lebih besar daripada spreadsheet biasa; ditolak demi keamanan.",
    "The file is a zip archive, not a spreadsheet. Save it as .xlsx, .ods or .csv.":
        "Berkas ini arsip zip, bukan spreadsheet. Simpan sebagai .xlsx, .ods atau .csv.",
    "The file is empty.": "Berkas kosong.",
    "The file is %(size)d MB; the limit is %(limit)d MB. Split it, e.g. one file per village.":
        "Berkas berukuran %(size)d MB; batasnya %(limit)d MB. Pecah berkasnya, misalnya satu berkas per desa.",
    "The file is protected with a password. Open it, remove the password, save and try again.":
        "Berkas dilindungi kata sandi. Buka berkasnya, hapus kata sandinya, simpan, lalu coba lagi.",
    "This is not a spreadsheet (.xlsx, .xls, .ods or .csv).": "Ini bukan spreadsheet (.xlsx, .xls, .ods atau .csv).",
    "The file is damaged or not a real %(kind)s file.": "Berkas rusak atau bukan berkas %(kind)s yang sebenarnya.",
    "The file has no sheet named %(sheet)s; it has: %(names)s.":
        "Berkas tidak punya lembar bernama %(sheet)s; yang ada: %(names)s.",
    "The sheet %(sheet)s has no header row and no data.": "Lembar %(sheet)s tidak punya baris judul kolom maupun data.",
    "Spreadsheet (.xlsx, .xls, .ods or .csv)": "Spreadsheet (.xlsx, .xls, .ods atau .csv)",
    "Format": "Format",
    "Recognise from the column names": "Kenali dari nama kolom",
    "Sidekel template": "Templat Sidekel",
    'OpenSID "Data Penduduk"': 'OpenSID "Data Penduduk"',
    "A NIK that is already registered in the village": "NIK yang sudah terdaftar di desa",
    "skip the row (keep our data)": "lewati barisnya (data kita tetap)",
    "update the resident with the file's values": "perbarui penduduk dengan isi berkas",
    "Row %(row)d, column %(column)s": "Baris %(row)d, kolom %(column)s",
    "Row %(row)d": "Baris %(row)d",
    "%(rows)d rows: %(new)d new, %(updated)d updated, %(skipped)d skipped (NIK already registered), "
    "%(refused)d refused; %(warnings)d warnings.":
        "%(rows)d baris: %(new)d baru, %(updated)d diperbarui, %(skipped)d dilewati (NIK sudah terdaftar), "
        "%(refused)d ditolak; %(warnings)d peringatan.",
    "Unknown columns: %(names)s. Use Sidekel's template or OpenSID's \"Data Penduduk\" format.":
        "Kolom tidak dikenal: %(names)s. Pakai templat Sidekel atau format \"Data Penduduk\" OpenSID.",
    "Unknown columns for the %(fmt)s format: %(names)s.": "Kolom tidak dikenal untuk format %(fmt)s: %(names)s.",
    "The file lacks required columns: %(names)s.": "Berkas tidak memuat kolom wajib: %(names)s.",
    "These columns appear twice: %(names)s.": "Kolom berikut muncul dua kali: %(names)s.",
    "%(value)s is not a date (write dd-mm-yyyy)": "%(value)s bukan tanggal (tulis hh-bb-tttt)",
    "%(value)s is not a known code; see the codes sheet of the template":
        "%(value)s bukan kode yang dikenal; lihat lembar kode pada templat",
    "must be filled": "wajib diisi",
    "%(n)d digits, must be 16": "%(n)d digit, harus 16",
    "no NIK: the resident is imported without one": "tanpa NIK: penduduk diimpor tanpa NIK",
    "the birth date is in the future": "tanggal lahir di masa depan",
    "the birth date is before 1880": "tanggal lahir sebelum tahun 1880",
    "family %(kk)s has no head (Kepala Keluarga)": "keluarga %(kk)s tidak punya kepala keluarga",
    "family %(kk)s has more than one head (rows %(rows)s)": "keluarga %(kk)s punya lebih dari satu kepala keluarga (baris %(rows)s)",
    "%(age)d years old and %(role)s": "berumur %(age)d tahun tetapi %(role)s",
    "a child only %(gap)d years younger than the head of the family":
        "anak yang hanya %(gap)d tahun lebih muda dari kepala keluarga",
    "the same NIK as row %(row)d": "NIK sama dengan baris %(row)d",
    "The sheet %(sheet)s has headers but no data rows.": "Lembar %(sheet)s punya judul kolom tetapi tidak ada baris data.",
    "already registered to %(nama)s in another village (%(desa)s)": "sudah terdaftar atas nama %(nama)s di desa lain (%(desa)s)",
    "already registered in another village of this kecamatan": "sudah terdaftar di desa lain dalam kecamatan ini",
    "this KK number belongs to another village": "nomor KK ini milik desa lain",
    "refused with its family: row %(row)d of KK %(kk)s has errors":
        "ditolak bersama keluarganya: baris %(row)d pada KK %(kk)s bermasalah",
    "Import of %(file)s": "Impor %(file)s",
    "Row %(row)d: %(message)s Nothing was imported.": "Baris %(row)d: %(message)s Tidak ada yang diimpor.",
    "Checking the file stopped on an unexpected error; nothing was imported. Check that the file is not "
    "damaged (open it and save it again), then try again; if it happens again, tell the kecamatan administrator.":
        "Pemeriksaan berkas terhenti karena kesalahan tak terduga; tidak ada yang diimpor. Pastikan berkasnya tidak "
        "rusak (buka lalu simpan ulang), kemudian coba lagi; bila terulang, beri tahu admin kecamatan.",
    "%(n)d residents written to %(file)s.": "%(n)d penduduk ditulis ke %(file)s.",
    "  ... and %(n)d more.": "  ... dan %(n)d lainnya.",
    "Nothing was written (dry run).": "Tidak ada yang ditulis (hanya pemeriksaan).",
    "Imported in %(seconds).1f s.": "Diimpor dalam %(seconds).1f detik.",
    "Nothing was written: no row could be imported.": "Tidak ada yang ditulis: tidak ada baris yang dapat diimpor.",
    "checking": "memeriksa",
    "writing": "menulis",
    "Download": "Unduh",
    "OpenSID format": "format OpenSID",
    "NIK and KK masked": "NIK dan KK disamarkan",
    "with full numbers, recorded": "dengan nomor lengkap, dicatat",
    "Writing the accepted rows...": "Menulis baris yang diterima...",
    "Checking every row...": "Memeriksa setiap baris...",
    "rows": "baris",
    "Import residents": "Impor penduduk",
    "Fill Sidekel's template, or use an export of OpenSID's Data Penduduk or of SIAK.":
        "Isi templat Sidekel, atau pakai ekspor Data Penduduk dari OpenSID atau dari SIAK.",
    "Download the template": "Unduh templat",
    "Upload it: every row is checked first and nothing is written yet.":
        "Unggah berkasnya: setiap baris diperiksa dulu dan belum ada yang ditulis.",
    "Read the report, then import what was accepted. Refused rows can be downloaded, fixed and uploaded again.":
        "Baca laporannya, lalu impor yang diterima. Baris yang ditolak dapat diunduh, diperbaiki, lalu diunggah lagi.",
    "Check the file": "Periksa berkas",
    "Recent imports": "Impor terakhir",
    "File": "Berkas",
    "Kind": "Jenis",
    "check": "pemeriksaan",
    "import": "impor",
    "Check of": "Pemeriksaan",
    "Import of": "Impor",
    "Nothing was written. Fix the file and upload it again.": "Tidak ada yang ditulis. Perbaiki berkasnya lalu unggah lagi.",
    "Cancelled: nothing was written.": "Dibatalkan: tidak ada yang ditulis.",
    "rows in the file": "baris dalam berkas",
    "residents added": "penduduk ditambahkan",
    "new residents": "penduduk baru",
    "already registered (updated or skipped)": "sudah terdaftar (diperbarui atau dilewati)",
    "rows refused": "baris ditolak",
    "The import is finished.": "Impor selesai.",
    "See the residents": "Lihat penduduk",
    "Nothing has been written yet.": "Belum ada yang ditulis.",
    "Download the refused rows": "Unduh baris yang ditolak",
    "Row": "Baris",
    "Column": "Kolom",
    "Finding": "Temuan",
    "refused": "ditolak",
    "warning": "peringatan",
    "Only the first 500 are shown; the refused-rows file lists all of them.":
        "Hanya 500 pertama yang ditampilkan; berkas baris ditolak memuat semuanya.",
    "Your account may not import residents.": "Akun Anda tidak berhak mengimpor penduduk.",
    "Only a finished check can be imported.": "Hanya pemeriksaan yang sudah selesai yang dapat diimpor.",
    "The import is being cancelled; nothing it wrote will remain.": "Impor sedang dibatalkan; tidak ada tulisannya yang tersisa.",
    "errors": "kesalahan",
    "refused with its family": "ditolak bersama keluarganya",
    "Import": "Impor",
})

PLURALS.update({
    "Import %(n)s accepted row": ("Impor %(n)s baris yang diterima",),
})
ID["Findings (%(n)s)"] = "Temuan (%(n)s)"
ID["More than %(cap)s residents found; narrow the search."] = "Lebih dari %(cap)s penduduk ditemukan; persempit pencarian."
ID["The file holds formulas without saved values. Open it in a spreadsheet program, copy everything and paste it as "
   "values (Paste Special, Values), save, and upload again."] = (
    "Berkas memuat rumus (formula) tanpa nilai tersimpan. Buka di program spreadsheet, salin semua lalu tempel sebagai "
    "nilai (Paste Special, Values), simpan, lalu unggah lagi.")

# Population books (buku/), issue 5.
ID.update({
    "submitted, waiting for the kecamatan": "diajukan, menunggu kecamatan",
    "sent back to the village": "dikembalikan ke desa",
    "approved": "disetujui",
    "year": "tahun",
    "month": "bulan",
    "status": "status",
    "figures": "angka",
    "submitted at": "diajukan pada",
    "decided at": "diputuskan pada",
    "note from the kecamatan": "catatan dari kecamatan",
    "Only the village's operator or kepala desa can submit its monthly recap.":
        "Hanya operator atau kepala desa/lurah dari desa/kelurahan itu yang dapat mengajukan rekap bulanannya.",
    "%(month)s has not ended yet; submit its recap on its last day or later.":
        "%(month)s belum berakhir; ajukan rekapnya pada hari terakhir bulan itu atau sesudahnya.",
    "The recap of %(month)s has already been approved.": "Rekap %(month)s sudah disetujui.",
    "The recap of %(month)s has already been submitted and waits for the kecamatan.":
        "Rekap %(month)s sudah diajukan dan menunggu kecamatan.",
    "Submitted to the kecamatan": "Diajukan ke kecamatan",
    "Only the camat or the kecamatan administrator can approve a monthly recap.":
        "Hanya camat atau admin kecamatan yang dapat menyetujui rekap bulanan.",
    "This recap is not waiting for approval (status: %(status)s).":
        "Rekap ini tidak sedang menunggu persetujuan (status: %(status)s).",
    "Approved; the month is locked": "Disetujui; bulan ini dikunci",
    "Write a note for the village: what must be fixed?": "Tulis catatan untuk desa: apa yang harus diperbaiki?",
    "Month": "Bulan",
    "Previous month": "Bulan sebelumnya",
    "Show": "Tampilkan",
    "Next month": "Bulan berikutnya",
    "Making the PDF...": "Membuat PDF...",
    "Download or print this book": "Unduh atau cetak buku ini",
    "Download Excel (.xlsx)": "Unduh Excel (.xlsx)",
    "Paper": "Kertas",
    "Make a PDF to print": "Buat PDF untuk dicetak",
    "This book shows full NIK and KK numbers. Every view and download is recorded with your name.":
        "Buku ini memuat NIK dan nomor KK lengkap. Setiap kali dibuka atau diunduh, nama Anda dicatat.",
    "Population books": "Buku administrasi penduduk",
    "residents living here today": "penduduk yang tinggal di sini hari ini",
    "No population events were recorded in this month.": "Tidak ada peristiwa kependudukan yang tercatat pada bulan ini.",
    "Nobody is recorded in this book.": "Belum ada yang tercatat di buku ini.",
    "Page %(n)s of %(total)s": "Halaman %(n)s dari %(total)s",
    "Administrasi Penduduk, Permendagri 47/2016": "Administrasi Penduduk, Permendagri 47/2016",
    "Monthly recap for %(m)s": "Rekap bulanan %(m)s",
    "Not submitted yet": "Belum diajukan",
    "Waiting for the kecamatan": "Menunggu kecamatan",
    "Sent back by the kecamatan": "Dikembalikan oleh kecamatan",
    "Approved": "Disetujui",
    "Check and submit the recap": "Periksa dan ajukan rekap",
    "Open the recap": "Buka rekap",
    "The five books": "Lima buku",
    "shows full NIK: not for your role": "memuat NIK lengkap: bukan untuk peran Anda",
    "per month": "per bulan",
    "Recaps sent to the kecamatan": "Rekap yang dikirim ke kecamatan",
    "Submitted": "Diajukan",
    "Decided": "Diputuskan",
    "No recap has been submitted yet.": "Belum ada rekap yang diajukan.",
    "Monthly recaps of %(m)s": "Rekap bulanan %(m)s",
    "%(w)s waiting for approval, %(a)s of %(n)s approved": "%(w)s menunggu persetujuan, %(a)s dari %(n)s disetujui",
    "Recap of all villages for the bupati": "Rekap semua desa/kelurahan untuk bupati",
    "Check and approve": "Periksa dan setujui",
    "No village is assigned to your account.": "Belum ada desa/kelurahan untuk akun Anda.",
    "Recap of all villages": "Rekap semua desa/kelurahan",
    "Monthly report to the kecamatan": "Laporan bulanan ke kecamatan",
    "Check the figures below. If they are right, send them to the kecamatan. After the kecamatan approves, "
    "this month is locked.":
        "Periksa angka di bawah. Jika sudah benar, kirim ke kecamatan. Setelah disetujui kecamatan, bulan ini dikunci.",
    "Submit the recap of %(m)s to the kecamatan": "Ajukan rekap %(m)s ke kecamatan",
    "This month has not ended yet. You can submit its recap on its last day or later.":
        "Bulan ini belum berakhir. Rekap dapat diajukan pada hari terakhir bulan atau sesudahnya.",
    "Submitted by %(who)s on %(when)s.": "Diajukan oleh %(who)s pada %(when)s.",
    "Check the figures below. Approving freezes them and locks the month for the village.":
        "Periksa angka di bawah. Jika disetujui, angka dibekukan dan bulan ini dikunci untuk desa.",
    "Approve": "Setujui",
    "Or send it back with a note for the village": "Atau kembalikan dengan catatan untuk desa",
    "Send back": "Kembalikan",
    "By %(who)s on %(when)s.": "Oleh %(who)s pada %(when)s.",
    "Note from the kecamatan": "Catatan dari kecamatan",
    "Fix the data (record missing births, deaths or moves), check the figures again, then submit again.":
        "Perbaiki data (catat kelahiran, kematian atau kepindahan yang terlewat), periksa lagi angkanya, lalu ajukan lagi.",
    "Submit again": "Ajukan lagi",
    "Approved by %(who)s on %(when)s. The figures below are frozen; the month is locked.":
        "Disetujui oleh %(who)s pada %(when)s. Angka di bawah sudah dibekukan; bulan ini dikunci.",
    "KK: families with a member living in the dusun. Family members: residents who belong to a KK. "
    "Missing and gone residents are counted under moved away.":
        "KK: keluarga yang punya anggota tinggal di dusun itu. Anggota keluarga: penduduk yang tercatat dalam KK. "
        "Penduduk hilang dan pergi dihitung pada kolom pindah.",
    "Counted from the records now (%(when)s).": "Dihitung dari data saat ini (%(when)s).",
    "Corrections after approval": "Koreksi setelah disetujui",
    "These events were recorded after the month was approved. They count in today's figures, not in the frozen "
    "recap above.":
        "Peristiwa ini dicatat setelah bulan disetujui. Peristiwa dihitung pada angka hari ini, tidak pada rekap "
        "yang sudah dibekukan di atas.",
    "Date": "Tanggal",
    "Resident": "Penduduk",
    "Reason": "Alasan",
    "Recorded": "Dicatat",
    "No corrections.": "Tidak ada koreksi.",
    "PDF": "PDF",
    "PDF to print": "PDF untuk dicetak",
    "Download the PDF": "Unduh PDF",
    "This book shows full NIK and KK numbers, which your role may not see.":
        "Buku ini memuat NIK dan nomor KK lengkap, yang tidak boleh dilihat oleh peran Anda.",
    "The recap of %(month)s has been sent to the kecamatan.": "Rekap %(month)s sudah dikirim ke kecamatan.",
    "The recap of %(month)s is approved and the month is locked.": "Rekap %(month)s disetujui dan bulan itu dikunci.",
    "The recap of %(month)s has been sent back to the village.": "Rekap %(month)s sudah dikembalikan ke desa.",
    "Only the camat and the kecamatan administrator see the recap of every village.":
        "Hanya camat dan admin kecamatan yang dapat melihat rekap semua desa/kelurahan.",
    "Reason for the correction": "Alasan koreksi",
    "Only needed when the date is in a month whose recap the kecamatan has already approved.":
        "Hanya perlu diisi jika tanggalnya ada di bulan yang rekapnya sudah disetujui kecamatan.",
    "correction": "koreksi",
    "Recorded after the month's rekapitulasi was approved; the approved figures stay as they were.":
        "Dicatat setelah rekapitulasi bulan itu disetujui; angka yang disetujui tetap seperti semula.",
    "reason for the correction": "alasan koreksi",
    "The population recap of %(month)s has already been approved by the kecamatan. Give a reason: the event will be "
    "recorded as a correction.":
        "Rekap penduduk %(month)s sudah disetujui kecamatan. Isi alasan koreksi: peristiwa ini akan dicatat sebagai "
        "koreksi.",
    "Books": "Buku",
    "Population books and monthly recap": "Buku penduduk dan rekap bulanan",
})
PLURALS.update({
    "%(total)s row": ("%(total)s baris",),
    "%(n)s village is not approved yet: its figures are provisional, counted from the records now.":
        ("%(n)s desa/kelurahan belum disetujui: angkanya sementara, dihitung dari data saat ini.",),
    "The PDF is ready: %(n)s page.": ("PDF sudah siap: %(n)s halaman.",),
})
ID["The table is wide: swipe it sideways to see every column."] = (
    "Tabel ini lebar: geser ke samping untuk melihat semua kolom.")
# Statistics (issue 5)
ID.update({
    "The resident's RT in this village at the time, so figures per dusun/RW/RT hold for past dates.":
        "RT penduduk di desa ini pada saat peristiwa, agar angka per dusun/RW/RT tetap benar untuk tanggal lampau.",
    "Under five (balita, 0-4)": "Balita (0-4)",
    "Primary school age (7-12)": "Usia SD (7-12)",
    "Junior secondary age (13-15)": "Usia SMP (13-15)",
    "Senior secondary age (16-18)": "Usia SMA (16-18)",
    "Working age (15-64)": "Usia produktif (15-64)",
    "Elderly (lansia, 60+)": "Lansia (60+)",
    "Age (five-year groups)": "Umur (kelompok lima tahun)",
    "Age groups for programmes": "Kelompok umur untuk program",
    "Education completed": "Pendidikan terakhir",
    "Education in progress": "Pendidikan sedang ditempuh",
    "Disability": "Disabilitas",
    "Resident status": "Status penduduk",
    "On date": "Per tanggal",
    "Figures exist up to today; choose today or an earlier date.":
        "Angka hanya ada sampai hari ini; pilih hari ini atau tanggal sebelumnya.",
    "Not filled": "Belum diisi",
    "Show": "Tampilkan",
    "Today, whole area": "Hari ini, seluruh wilayah",
    "Population pyramid": "Piramida penduduk",
    "Men": "Laki-laki",
    "Women": "Perempuan",
    "Kecamatan dashboard": "Dasbor kecamatan",
    "Statistics of the whole kecamatan": "Statistik seluruh kecamatan",
    "Every village side by side, living residents on %(date)s. Click a column heading to sort.":
        "Semua desa/kelurahan berdampingan, penduduk hidup per %(date)s. Klik judul kolom untuk mengurutkan.",
    "residents": "penduduk",
    "men per 100 women": "laki-laki per 100 perempuan",
    "growth this year": "pertumbuhan tahun ini",
    "Ages 0-75+": "Umur 0-75+",
    "Population": "Penduduk",
    "Families": "Keluarga",
    "Sex ratio": "Rasio jenis kelamin",
    "Children 0-14 (%%)": "Anak 0-14 (%%)",
    "Children 0-14 (%)": "Anak 0-14 (%)",
    "Dependency ratio": "Rasio ketergantungan",
    "Growth this year (%%)": "Pertumbuhan tahun ini (%%)",
    "Growth this year (%)": "Pertumbuhan tahun ini (%)",
    "Residents by five-year age group": "Penduduk per kelompok umur lima tahunan",
    "Sex ratio: men per 100 women. Dependency ratio: people aged 0-14 and 65+ per 100 people aged 15-64. "
    "Growth: change since 1 January.":
        "Rasio jenis kelamin: laki-laki per 100 perempuan. Rasio ketergantungan: penduduk umur 0-14 dan 65+ per "
        "100 penduduk umur 15-64. Pertumbuhan: perubahan sejak 1 Januari.",
    "Statistics": "Statistik",
    "Download XLSX": "Unduh XLSX",
    "Download CSV": "Unduh CSV",
    "living residents on %(date)s": "penduduk hidup per %(date)s",
    "Total": "Jumlah",
    "Other statistics": "Statistik lain",
    "Living residents on %(date)s": "Penduduk hidup per %(date)s",
    "people per family": "jiwa per keluarga",
    "Table and download": "Tabel dan unduhan",
    "Family size": "Besar keluarga",
    "Members present": "Jumlah anggota",
    "Events per month": "Peristiwa per bulan",
    "Month": "Bulan",
    "Statistics by category": "Statistik per kategori",
    "Kecamatan %(nama)s": "Kecamatan %(nama)s",
})

# Data quality (penduduk/kualitas.py) and the onboarding view of the villages (wilayah).
ID.update({
    "Invalid NIK": "NIK tidak sah",
    "The NIK breaks a rule every NIK follows. Check it against the KK or KTP and correct it.":
        "NIK melanggar aturan baku NIK. Cocokkan dengan KK atau KTP, lalu perbaiki.",
    "No NIK": "Tanpa NIK",
    "Enter the NIK from the KK. A newborn gets one when the KK is updated.":
        "Isi NIK sesuai KK. Bayi baru lahir mendapat NIK saat KK diperbarui.",
    "Family without a head": "KK tanpa kepala keluarga",
    "Open the family and choose its head (Kepala Keluarga).": "Buka data keluarga, lalu tetapkan kepala keluarganya.",
    "Family with two heads": "KK dengan dua kepala keluarga",
    "Open the family and keep one head; give the other their real relationship.":
        "Buka data keluarga, pertahankan satu kepala keluarga; ubah yang lain ke hubungan keluarga yang benar.",
    "No RT": "Tanpa RT",
    "Choose the resident's RT on the edit page.": "Pilih RT penduduk ini di halaman ubah data.",
    "Impossible date": "Tanggal mustahil",
    "A date is in the future, before 1880, or before the birth date. Correct the date.":
        "Ada tanggal di masa depan, sebelum 1880, atau sebelum tanggal lahir. Perbaiki tanggalnya.",
    "NIK disagrees with birth date or sex": "NIK tidak cocok dengan tanggal lahir atau jenis kelamin",
    "Check the birth date and sex against the KK. If the record is right, leave it: a NIK never changes after a correction.":
        "Cocokkan tanggal lahir dan jenis kelamin dengan KK. Jika data sudah benar, biarkan: NIK tidak ikut berubah "
        "setelah data dikoreksi.",
    "Possible duplicate person": "Kemungkinan data ganda",
    "Same name and birth date as another resident of the kecamatan. If it is the same person, delete the extra record.":
        "Nama dan tanggal lahir sama dengan penduduk lain di kecamatan ini. Jika orangnya sama, hapus data yang berlebih.",
    "Age does not fit the role in the family": "Umur tidak sesuai hubungan keluarga",
    "A head or spouse younger than 15, or a child fewer than 12 years younger than the head. Check the birth dates and the relationships.":
        "Kepala keluarga atau suami/istri berumur di bawah 15 tahun, atau anak yang selisih umurnya dengan kepala "
        "keluarga kurang dari 12 tahun. Periksa tanggal lahir dan hubungan keluarganya.",
    "School age without schooling status": "Usia sekolah tanpa status pendidikan",
    "A resident aged 7-18 whose current schooling is empty. Fill it in (it may be 'Tidak Sedang Sekolah').":
        "Penduduk berumur 7-18 tahun yang pendidikan sedang ditempuhnya kosong. Isi (boleh 'Tidak Sedang Sekolah').",
    "No NIK recorded.": "NIK belum diisi.",
    "No RT chosen.": "RT belum dipilih.",
    "%(age)d years old; current schooling is empty.": "Umur %(age)d tahun; pendidikan sedang ditempuh kosong.",
    "%(members)d living members, %(heads)d heads.": "%(members)d anggota hidup, %(heads)d kepala keluarga.",
    "Birth date %(date)s is in the future.": "Tanggal lahir %(date)s ada di masa depan.",
    "Birth date %(date)s is before 1880.": "Tanggal lahir %(date)s sebelum tahun 1880.",
    "Date of marriage": "Tanggal perkawinan",
    "Date of divorce": "Tanggal perceraian",
    "Living here since": "Tinggal di sini sejak",
    "%(what)s %(date)s is before the birth date.": "%(what)s %(date)s sebelum tanggal lahir.",
    "Event %(event)s on %(date)s is before the birth date.": "Peristiwa %(event)s pada %(date)s sebelum tanggal lahir.",
    "%(age)d years old and %(role)s.": "Umur %(age)d tahun dan berstatus %(role)s.",
    "A child born only %(gap)d years after the head of the family.":
        "Anak yang lahir hanya %(gap)d tahun setelah kepala keluarga.",
    "not started": "belum mulai",
    "data entry in progress": "sedang input",
    "complete": "lengkap",
    "quality score": "skor mutu",
    "required fields filled (%)": "isian wajib terisi (%)",
    "State": "Status",
    "Most residents": "Penduduk terbanyak",
    "Least complete first": "Isian paling kurang dulu",
    "Lowest quality score first": "Skor mutu terendah dulu",
    "Latest change": "Perubahan terbaru",
    "Longest without change": "Paling lama tanpa perubahan",
    "Fewest operators": "Operator paling sedikit",
    "Sort by": "Urutkan menurut",
    "Sort": "Urutkan",
    "Fields filled": "Isian terisi",
    "Quality score": "Skor mutu",
    "Operators": "Operator",
    "Last import": "Impor terakhir",
    "How the state and the figures are decided": "Cara status dan angka ditentukan",
    "<b>Not started</b>: no living resident entered yet.": "<b>Belum mulai</b>: belum ada penduduk yang dimasukkan.",
    "<b>Complete</b>: at least %(f)s %% of the required fields filled and a quality score of at least %(s)s.":
        "<b>Lengkap</b>: minimal %(f)s %% isian wajib terisi dan skor mutu minimal %(s)s.",
    "<b>Data entry in progress</b>: everything in between.": "<b>Sedang input</b>: di antara keduanya.",
    "<b>Fields filled</b>: of the Buku Induk columns every resident needs (NIK, name, sex, marital status, place and date of birth, religion, last education, occupation, can read (from age 7), citizenship, RT, relationship in the family, KK number), the share that is filled.":
        "<b>Isian terisi</b>: dari kolom Buku Induk yang wajib untuk setiap penduduk (NIK, nama, jenis kelamin, status "
        "perkawinan, tempat dan tanggal lahir, agama, pendidikan terakhir, pekerjaan, dapat membaca huruf (mulai umur 7), "
        "kewarganegaraan, RT, hubungan dalam keluarga, nomor KK), berapa persen yang sudah terisi.",
    "<b>Quality score</b>: the share of living residents with no error finding (invalid or missing NIK, family without a head, no RT, impossible date), from 0 to 100. The line beside it is the score of the last 30 days. Click the score to see the findings.":
        "<b>Skor mutu</b>: persentase penduduk hidup tanpa temuan galat (NIK tidak sah atau kosong, KK tanpa kepala "
        "keluarga, tanpa RT, tanggal mustahil), 0 sampai 100. Garis di sebelahnya adalah skor 30 hari terakhir. "
        "Klik skor untuk melihat temuannya.",
    "<b>Operators</b>: active operator accounts of the village.": "<b>Operator</b>: akun operator aktif desa/kelurahan itu.",
    "Data quality": "Mutu data",
    "quality score (0-100)": "skor mutu (0-100)",
    "of %(n)s living residents have an error": "dari %(n)s penduduk hidup punya galat",
    "Score: the share of living residents with no error finding. Counts as of %(time)s; the list below is always current.":
        "Skor: persentase penduduk hidup tanpa temuan galat. Jumlah per pukul %(time)s; daftar di bawah selalu terkini.",
    "Checks": "Pemeriksaan",
    "error": "galat",
    "check": "periksa",
    "Family": "Keluarga",
    "What is wrong": "Yang salah",
    "Nothing found. Well done!": "Tidak ada temuan. Bagus!",
    "Same name and birth date as:": "Nama dan tanggal lahir sama dengan:",
    "a resident of another village": "penduduk desa/kelurahan lain",
    "Correct": "Perbaiki",
    "Check data quality": "Periksa mutu data",
    "No served village has the code %(kode)s.": "Tidak ada desa/kelurahan terlayani dengan kode %(kode)s.",
    "Quality of %(n)d villages stored in %(seconds).1f s.": "Mutu %(n)d desa/kelurahan disimpan dalam %(seconds).1f detik.",
})

# Public API: statistics, open-data catalogue, rate limit (sidekel/statistik/api.py, datasets.py, core/publicapi.py)
ID.update({
    "Too many requests from your address: at most %(rate)d a minute. Try again in %(seconds)d seconds.":
        "Terlalu banyak permintaan dari alamat Anda: paling banyak %(rate)d per menit. Coba lagi dalam %(seconds)d "
        "detik.",
    "Unknown statistics category %(slug)s; the categories are listed at /api/v1/statistik/.":
        "Kategori statistik %(slug)s tidak dikenal; daftar kategori ada di /api/v1/statistik/.",
    "Unknown area code %(kode)s; use a village's or the kecamatan's code from /api/v1/wilayah/.":
        "Kode wilayah %(kode)s tidak dikenal; pakai kode desa/kelurahan atau kecamatan dari /api/v1/wilayah/.",
    "There is no %(level)s with id %(id)s in %(area)s.": "Tidak ada %(level)s dengan id %(id)s di %(area)s.",
    "In a dusun, RW or RT, counts from 1 to %(max)d are hidden (null), and so are the cells from which a hidden "
    "count could be worked out. Villages and the kecamatan are shown whole.":
        "Di dusun, RW atau RT, jumlah 1 sampai %(max)d disembunyikan (null), begitu pula sel yang dapat dipakai "
        "untuk menghitung jumlah yang disembunyikan. Desa/kelurahan dan kecamatan ditampilkan utuh.",
    "Unknown dataset %(slug)s; the catalogue is at /api/v1/data/.":
        "Dataset %(slug)s tidak dikenal; katalog ada di /api/v1/data/.",
    "Villages and their population": "Desa/kelurahan dan jumlah penduduknya",
    "The desa and kelurahan of the kecamatan with their official codes (Kemendagri) and their number of living "
    "residents and families today.":
        "Desa dan kelurahan di kecamatan beserta kode resminya (Kemendagri), jumlah penduduk hidup, dan jumlah "
        "keluarganya hari ini.",
    "Population by sex": "Penduduk menurut jenis kelamin",
    "Living residents by sex, for the kecamatan and each village, today and at the end of each past month.":
        "Penduduk hidup menurut jenis kelamin, untuk kecamatan dan setiap desa/kelurahan, hari ini dan pada akhir "
        "setiap bulan yang sudah lewat.",
    "Population by five-year age group": "Penduduk menurut kelompok umur lima tahunan",
    "Living residents by age on the chosen date in five-year groups (0-4 ... 75+) and sex: the data of a "
    "population pyramid.":
        "Penduduk hidup menurut umur pada tanggal yang dipilih dalam kelompok lima tahunan (0-4 ... 75+) dan jenis "
        "kelamin: data piramida penduduk.",
    "Population in programme age groups": "Penduduk menurut kelompok umur program",
    "Living residents under five, of school age, of working age and elderly, by sex. The groups overlap.":
        "Penduduk hidup balita, usia sekolah, usia produktif dan lansia, menurut jenis kelamin. Kelompoknya "
        "saling tumpang tindih.",
    "Population by education completed": "Penduduk menurut pendidikan terakhir",
    "Living residents by the highest education completed as written on the family card (KK), by sex.":
        "Penduduk hidup menurut pendidikan tertinggi yang ditamatkan sesuai Kartu Keluarga (KK), menurut jenis "
        "kelamin.",
    "Population by education in progress": "Penduduk menurut pendidikan yang sedang ditempuh",
    "Living residents by the schooling they are following now, by sex.":
        "Penduduk hidup menurut pendidikan yang sedang ditempuh, menurut jenis kelamin.",
    "Population by occupation": "Penduduk menurut pekerjaan",
    "Living residents by occupation (SIAK code list), by sex.":
        "Penduduk hidup menurut pekerjaan (daftar kode SIAK), menurut jenis kelamin.",
    "Population by religion": "Penduduk menurut agama",
    "Living residents by religion, by sex.": "Penduduk hidup menurut agama, menurut jenis kelamin.",
    "Population by marital status": "Penduduk menurut status perkawinan",
    "Living residents by marital status, by sex.": "Penduduk hidup menurut status perkawinan, menurut jenis kelamin.",
    "Population by citizenship": "Penduduk menurut kewarganegaraan",
    "Living residents by citizenship, by sex.": "Penduduk hidup menurut kewarganegaraan, menurut jenis kelamin.",
    "Population by blood type": "Penduduk menurut golongan darah",
    "Living residents by blood type, by sex.": "Penduduk hidup menurut golongan darah, menurut jenis kelamin.",
    "Population by disability": "Penduduk menurut disabilitas",
    "Living residents by type of disability, by sex.":
        "Penduduk hidup menurut jenis disabilitas, menurut jenis kelamin.",
    "Population by resident status": "Penduduk menurut status kependudukan",
    "Living residents by resident status (permanent or temporary), by sex.":
        "Penduduk hidup menurut status kependudukan (tetap atau sementara), menurut jenis kelamin.",
})

# Public site, news, open data (issue 6).
ID.update({
    "Published by": "Diterbitkan oleh",
    "Image (JPEG or PNG, resized to 960 px)": "Gambar (JPEG atau PNG, diperkecil menjadi 960 px)",
    "Remove the image": "Hapus gambar",
    "Publish date": "Tanggal terbit",
    "The item shows from this moment on. Write dd-mm-yyyy hh:mm.": "Tampil mulai saat ini. Tulis dd-mm-yyyy jj:mm.",
    'Plain text. A blank line starts a paragraph; lines starting with "- " make a list; web addresses become links. HTML is shown as text.':
        'Teks biasa. Baris kosong memulai paragraf; baris yang diawali "- " menjadi daftar; alamat web menjadi tautan. HTML tampil sebagai teks.',
    "News": "Berita",
    "Announcement": "Pengumuman",
    "Empty: an item of the kecamatan.": "Kosong: terbitan kecamatan.",
    "kind": "jenis",
    "title": "judul",
    "text": "isi",
    "image": "gambar",
    "image description": "keterangan gambar",
    "publish date": "tanggal terbit",
    "published": "diterbitkan",
    "Today's figures (updated with every change of the village's data)":
        "Angka hari ini (diperbarui setiap kali data desa berubah)",
    "Population by %(what)s": "Penduduk menurut %(what)s",
    "Living residents by %(what)s and sex, per village and for the kecamatan.":
        "Penduduk hidup menurut %(what)s dan jenis kelamin, per desa/kelurahan dan untuk kecamatan.",
    "Families by number of members": "Keluarga menurut jumlah anggota",
    "Families (Kartu Keluarga) by the number of their members living in the village.":
        "Keluarga (Kartu Keluarga) menurut jumlah anggotanya yang tinggal di desa/kelurahan.",
    "Monthly population events": "Peristiwa kependudukan per bulan",
    "Births, deaths, moves in and moves out per month, for the last 12 months.":
        "Kelahiran, kematian, pindah datang dan pindah keluar per bulan, 12 bulan terakhir.",
    "The last 12 months": "12 bulan terakhir",
    "All villages together": "Semua desa/kelurahan sekaligus",
    "Every population table of every village in one file: one row per village per code.":
        "Semua tabel kependudukan semua desa/kelurahan dalam satu berkas: satu baris per desa per kode.",
    "null: a count below %(n)d, hidden so that no person can be recognised.":
        "null: jumlah di bawah %(n)d, disembunyikan agar tidak ada orang yang dapat dikenali.",
    "The image is too large (at most 8 MB).": "Gambar terlalu besar (paling besar 8 MB).",
    "The image has too many pixels.": "Gambar memiliki terlalu banyak piksel.",
    "This file is not an image that can be read (use JPEG or PNG).":
        "Berkas ini bukan gambar yang dapat dibaca (gunakan JPEG atau PNG).",
    "Only the kecamatan administrator publishes for the kecamatan.":
        "Hanya admin kecamatan yang menerbitkan atas nama kecamatan.",
    "Find your village": "Cari desa/kelurahan Anda",
    "Table of ages": "Tabel umur",
    "News and announcements": "Berita dan pengumuman",
    "Nothing published yet.": "Belum ada yang diterbitkan.",
    "All news": "Semua berita",
    "Statistics of the kecamatan": "Statistik kecamatan",
    "Open data: download every table (CSV, JSON, XLSX)": "Data terbuka: unduh semua tabel (CSV, JSON, XLSX)",
    "The kecamatan": "Kecamatan",
    "Write a new item": "Tulis terbitan baru",
    "Change the item": "Ubah terbitan",
    "This item has an image.": "Terbitan ini memiliki gambar.",
    "Pages": "Halaman",
    "Newer": "Lebih baru",
    "Older": "Lebih lama",
    "Title": "Judul",
    "State": "Status",
    "draft": "draf",
    "scheduled": "terjadwal",
    "public": "tayang",
    "Nothing written yet.": "Belum ada tulisan.",
    "Open data": "Data terbuka",
    "Licence": "Lisensi",
    "Period": "Periode",
    "Last update": "Pembaruan terakhir",
    "Hidden counts": "Jumlah yang disembunyikan",
    "“&lt;%(below)s” in CSV and XLSX, null in JSON": "“&lt;%(below)s” di CSV dan XLSX, null di JSON",
    "Resources": "Sumber data",
    "Organisation": "Organisasi",
    "Files": "Berkas",
    "Population tables of the kecamatan and of every village, free to reuse under %(licence)s. Only aggregates: no data about any person.":
        "Tabel kependudukan kecamatan dan setiap desa/kelurahan, bebas dipakai ulang dengan lisensi %(licence)s. Hanya angka agregat: tidak ada data tentang orang per orang.",
    "Data last changed on %(date)s.": "Data terakhir berubah pada %(date)s.",
    "All organisations": "Semua organisasi",
    "You are logged in as an official.": "Anda masuk sebagai petugas.",
    "Go to the officials' page of this village": "Buka halaman petugas desa/kelurahan ini",
    "Profile": "Profil",
    "Office": "Kantor",
    "Office hours": "Jam pelayanan",
    "Contact": "Kontak",
    "All news of this village": "Semua berita desa/kelurahan ini",
    "Every table of this village as CSV, JSON and XLSX, free to reuse (CC BY 4.0).":
        "Semua tabel desa/kelurahan ini sebagai CSV, JSON dan XLSX, bebas dipakai ulang (CC BY 4.0).",
    "Datasets of this village": "Dataset desa/kelurahan ini",
    "living residents today": "penduduk hidup hari ini",
    "Part of the village": "Bagian wilayah",
    "To protect privacy, a count below %(below)s (zero included) is shown as “&lt;%(below)s”, and some other counts are hidden too so that they cannot be worked out.":
        "Untuk melindungi privasi, jumlah di bawah %(below)s (termasuk nol) ditulis “&lt;%(below)s”, dan beberapa angka lain ikut disembunyikan agar tidak dapat dihitung balik.",
    "The downloads hold the figures of the whole village.": "Unduhan berisi angka seluruh desa/kelurahan.",
    "fewer than %(n)d, hidden to protect privacy": "kurang dari %(n)d, disembunyikan untuk melindungi privasi",
    "Births, deaths and moves": "Kelahiran, kematian dan pindah",
    "Whole village": "Seluruh desa/kelurahan",
    "Saved: “%(judul)s”.": "Tersimpan: “%(judul)s”.",
    "Deleted: “%(judul)s”.": "Terhapus: “%(judul)s”.",
    "Home": "Beranda",
    "name of the head (kepala desa / lurah)": "nama kepala desa / lurah",
    "office address": "alamat kantor",
    "office telephone": "telepon kantor",
    "office e-mail": "surel kantor",
    "office hours": "jam pelayanan",
    "e.g. Monday-Friday 08.00-15.00 WIB": "mis. Senin-Jumat 08.00-15.00 WIB",
    "about the village": "tentang desa/kelurahan",
    "A few sentences for the public page. Plain text; a blank line starts a paragraph.":
        "Beberapa kalimat untuk halaman publik. Teks biasa; baris kosong memulai paragraf.",
    "The field %(name)s is not part of the village profile.": "Isian %(name)s bukan bagian profil desa/kelurahan.",
    "Public profile": "Profil publik",
    "Public page": "Halaman publik",
    "What everyone sees on the village's public page. Write no resident's personal data here.":
        "Yang dilihat semua orang di halaman publik desa/kelurahan. Jangan menulis data pribadi penduduk di sini.",
    "The village profile is saved; it shows on the public page.":
        "Profil desa/kelurahan tersimpan; tampil di halaman publik.",
    # Issue 13: one public read path and its disclosure control.
    "Today's figures (updated with every change of the village's data), and the last day of each past month":
        "Angka hari ini (diperbarui setiap kali data desa berubah) dan hari terakhir setiap bulan yang sudah lewat",
    "Figures exist up to today; choose today or the last day of an earlier month.":
        "Angka hanya ada sampai hari ini; pilih hari ini atau hari terakhir bulan sebelumnya.",
    "Figures of a dusun, RW or RT are published for today only.":
        "Angka dusun, RW, atau RT hanya diterbitkan untuk hari ini.",
    "The public figures are for today or for the last day of a month (for example %(last)s or %(before)s), so "
    "that no two answers are one event apart; %(asked)s is neither.":
        "Angka untuk umum hanya untuk hari ini atau hari terakhir suatu bulan (misalnya %(last)s atau %(before)s), "
        "supaya tidak ada dua jawaban yang hanya berselisih satu peristiwa; %(asked)s bukan keduanya.",
    "%(title)s is published for villages and the kecamatan only, never for a dusun, RW or RT.":
        "%(title)s hanya diterbitkan untuk desa/kelurahan dan kecamatan, tidak pernah untuk dusun, RW, atau RT.",
    "This table cannot be published for this area.": "Tabel ini tidak dapat diterbitkan untuk wilayah ini.",
    "Small counts are never published as they are: each count from 1 to %(max)d is moved to 0 or %(below)d, and "
    "other counts of the same table are adjusted so that every table still adds up, so a published count below "
    "%(below)d is never the true one. A village's number of residents by sex and its number of families are exact "
    "(unless they are below %(below)d themselves). Figures of a dusun, RW or RT are for today only; religion, "
    "citizenship, blood type and disability are published for villages and the kecamatan only. More: /privasi/.":
        "Angka kecil tidak pernah diterbitkan apa adanya: setiap angka 1 sampai %(max)d digeser ke 0 atau "
        "%(below)d, dan angka lain di tabel yang sama disesuaikan supaya setiap tabel tetap cocok jumlahnya; jadi "
        "angka di bawah %(below)d yang tampil tidak pernah angka sebenarnya. Jumlah penduduk desa menurut jenis "
        "kelamin dan jumlah keluarganya tepat (kecuali angka itu sendiri di bawah %(below)d). Angka dusun, RW, "
        "atau RT hanya untuk hari ini; agama, kewarganegaraan, golongan darah, dan disabilitas hanya diterbitkan "
        "untuk desa/kelurahan dan kecamatan. Selengkapnya: /privasi/.",
    "Small counts are disguised: a count from 1 to %(max)d is never shown as it is, and other counts are "
    "adjusted so that the table adds up.":
        "Angka kecil disamarkan: angka 1 sampai %(max)d tidak pernah ditampilkan apa adanya, dan angka lain "
        "disesuaikan supaya jumlah tabel tetap cocok.",
    "Note: %(note)s": "Catatan: %(note)s",
    "Notes": "Catatan",
    "Privacy": "Privasi",
    "How public figures are protected": "Cara angka untuk umum dilindungi",
    "Add ?tanggal=YYYY-MM-DD to a file's address for the last day of a past month.":
        "Tambahkan ?tanggal=TTTT-BB-HH pada alamat berkas untuk hari terakhir bulan yang sudah lewat.",
    "Write the date as YYYY-MM-DD.": "Tulis tanggal sebagai TTTT-BB-HH.",
    "This dataset is published for today only.": "Dataset ini hanya diterbitkan untuk hari ini.",
    "Your role finds a resident by the whole 16-digit NIK only, not by its first digits.":
        "Peran Anda hanya dapat mencari penduduk dengan NIK lengkap 16 digit, tidak dengan digit awalnya.",
})

# Issue 14 item 6
ID.update({
    "Too many attempts; try again in %(seconds)d seconds.": "Terlalu banyak percobaan; coba lagi dalam %(seconds)d detik.",
    "Account %(username)s has no token starting with %(prefix)s.":
        "Akun %(username)s tidak punya token yang berawalan %(prefix)s.",
    "API tokens of %(username)s revoked: %(count)d.": "Token API %(username)s yang dicabut: %(count)d.",
    "Account %(username)s has no API tokens.": "Akun %(username)s tidak punya token API.",
    "token      state      created           expires           last used":
        "token      keadaan    dibuat            berakhir          terakhir dipakai",
    "valid": "berlaku",
    "expired": "kedaluwarsa",
    "revoked": "dicabut",
    "state": "keadaan",
    "API tokens (revoke them with the action in the account list)":
        "Token API (cabut dengan tindakan di daftar akun)",
    "valid API tokens": "token API berlaku",
    "Revoke the API tokens of the selected accounts": "Cabut token API akun yang dipilih",
    "API tokens revoked: %(count)d.": "Token API dicabut: %(count)d.",
    "Revoke the selected tokens": "Cabut token yang dipilih",
})
