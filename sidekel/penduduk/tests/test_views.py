"""Operator screens through Django's test client: forms, messages, masking, paging, access log."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import AccessLog
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services
from sidekel.core.paging import keyset_page
from sidekel.penduduk.models import NameIndex, Penduduk, Peristiwa


@pytest.fixture
def operator_client(client, rangda):
    user = create_user("op_rangda", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    client.force_login(user)
    client.user = user
    return client


def form_data(**overrides):
    data = {k: v for k, v in adult().items()}
    data.update(nik="6201022509920001", nama="Rina Marlina", jenis_kelamin=2, tanggal_lahir="25-09-1992",
                kewarganegaraan=1, status_penduduk=1, hubungan_keluarga=11, version="")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_add_resident_with_dates_as_dd_mm_yyyy(operator_client, rangda):
    response = operator_client.post(f"/penduduk/tambah/?desa={rangda.kode}", form_data(), follow=True)
    assert response.status_code == 200
    p = Penduduk.objects.get(nik="6201022509920001")
    assert p.tanggal_lahir == datetime.date(1992, 9, 25) and p.desa == rangda
    assert "Rina Marlina sudah ditambahkan" in response.content.decode()


def test_bad_input_shows_field_messages_in_indonesian_and_saves_nothing(operator_client, rangda):
    response = operator_client.post(f"/penduduk/tambah/?desa={rangda.kode}",
                                    form_data(nik="6201023209920001", tanggal_lahir="1992-09-25", nama=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "41-71 untuk perempuan" in html
    assert "hh-bb-tttt" in html
    assert "wajib diisi" in html.lower() or "Bidang ini tidak boleh kosong" in html
    assert not Penduduk.objects.exists()


def test_nik_and_kk_numbers_typed_with_spaces_dots_and_dashes_are_cleaned(operator_client, keluarga_budi, rangda):
    """A NIK is read off a KTP in groups: "6201 0225 0992 0001" is 19 characters. The boxes take
    it (no maxlength of 16 cutting the last digits) and the form keeps the 16 digits."""
    keluarga, budi, siti, _ = keluarga_budi
    page = operator_client.get(f"/penduduk/tambah/?desa={rangda.kode}").content.decode()
    box = page[page.index('name="nik"'):]
    box = box[:box.index(">")]
    assert 'maxlength="16"' not in box and 'maxlength="32"' in box
    response = operator_client.post(f"/penduduk/tambah/?desa={rangda.kode}", form_data(
        nik="6201 0225 0992 0001", nik_ayah="6201.0212.0385.0001", nik_ibu="6201-0265-0787-0001"), follow=True)
    assert "Rina Marlina sudah ditambahkan" in response.content.decode()
    rina = Penduduk.objects.get(nama="Rina Marlina")
    assert (rina.nik, rina.nik_ayah, rina.nik_ibu) == ("6201022509920001", budi.nik, siti.nik)

    # Too many digits is still said with the count of digits, not of what was typed.
    html = operator_client.post(f"/penduduk/tambah/?desa={rangda.kode}",
                                form_data(nik="6201 0225 0992 00021", nama="Rini")).content.decode()
    assert "NIK harus tepat 16 digit angka (terisi 17 karakter)" in html
    assert not Penduduk.objects.filter(nama="Rini").exists()

    operator_client.post(f"/keluarga/{keluarga.pk}/nomor-kk/", {"nomor_kk": "6201-02-150125-0002",
                                                               "tanggal_terbit": "15-01-2025"})
    keluarga.refresh_from_db()
    assert keluarga.nomor_kk == "6201021501250002"
    born = (timezone.localdate() - datetime.timedelta(days=2)).strftime("%d-%m-%Y")
    operator_client.post(f"/keluarga/{keluarga.pk}/kelahiran/", {
        "nama": "Bayi Nur", "jenis_kelamin": 2, "tempat_lahir": "Pangkalan Bun", "tanggal_lahir": born,
        "ibu": siti.pk, "ayah": budi.pk, "nik": "6201 0241 0125 0001"})
    assert keluarga.anggota.get(nama="Bayi Nur").nik == "6201024101250001"


def test_an_impossible_date_is_said_to_be_impossible_not_wrongly_written(operator_client, rangda):
    html = operator_client.post(f"/penduduk/tambah/?desa={rangda.kode}",
                                form_data(tanggal_lahir="31-02-1956")).content.decode()
    assert "Tanggal 31-02-1956 tidak ada: periksa tanggal dan bulannya." in html
    assert "Tulis tanggal sebagai hh-bb-tttt, misalnya" not in html  # the format is right
    assert not Penduduk.objects.exists()


def test_duplicate_nik_names_where_it_lives(operator_client, keluarga_budi, rangda):
    response = operator_client.post(f"/penduduk/tambah/?desa={rangda.kode}", form_data(nik=keluarga_budi[1].nik))
    assert "sudah terdaftar atas nama Budi Santoso di Desa Rangda" in response.content.decode()


def test_edit_conflict_is_refused_with_a_clear_message(operator_client, keluarga_budi):
    budi = keluarga_budi[1]
    services.update_penduduk(budi, user=None, changes={"nama": "Budi Baru"}, version=1)
    data = form_data(nik=budi.nik, nama="Budi Lama", jenis_kelamin=1, tanggal_lahir="12-03-1985", hubungan_keluarga=1,
                     version="1")
    html = operator_client.post(f"/penduduk/{budi.pk}/ubah/", data).content.decode()
    assert "saat Anda sedang mengedit" in html
    assert Penduduk.objects.get(pk=budi.pk).nama == "Budi Baru"


def test_list_masks_nik_and_detail_reveals_only_on_request_and_logs_it(operator_client, keluarga_budi):
    budi = keluarga_budi[1]
    html = operator_client.get("/penduduk/?q=budi").content.decode()
    assert "620102**********" in html and budi.nik not in html
    detail = operator_client.get(f"/penduduk/{budi.pk}/").content.decode()
    assert budi.nik not in detail and "Tampilkan nomor lengkap" in detail
    revealed = operator_client.post(f"/penduduk/{budi.pk}/identitas/").content.decode()
    assert budi.nik in revealed and "6201021501200001" in revealed
    actions = list(AccessLog.objects.filter(object_id=budi.pk).values_list("action", flat=True))
    assert sorted(actions) == ["reveal", "view"]
    assert AccessLog.objects.filter(action="search", detail__contains="q=budi").exists()


def test_keyset_pages_cover_everyone_once(operator_client, rangda):
    for i in range(60):
        services.register_penduduk(rangda, nik=f"620102010185{i + 1:04d}", **adult(nama=f"Warga {i:02d}"))
    seen, url = [], "/penduduk/?desa=62.01.02.2010"
    while url:
        response = operator_client.get(url)
        page = response.context["page"]
        seen += [p["nama"] for p in page.rows]
        url = f"/penduduk/?desa=62.01.02.2010&setelah={page.next_cursor}" if page.next_cursor else None
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 60
    back = operator_client.get(f"/penduduk/?desa=62.01.02.2010&sebelum={page.prev_cursor}").context["page"]
    assert [p["nama"] for p in back.rows] == seen[25:50]
    assert operator_client.get("/penduduk/?setelah=rusak!!").status_code == 200


@pytest.mark.parametrize("order", ["nama", "-nama", "-id"])
def test_a_counted_page_counts_every_row_in_the_statement_of_its_page(rangda, order, django_assert_num_queries):
    """``keyset_page(count=True)``: the name table's id and name alone (a materialized CTE) and
    residents' rows with other columns (a window count) give the same first page and total."""
    for i in range(30):
        services.register_penduduk(rangda, nik=f"620102010185{i + 1:04d}", **adult(nama=f"Warga {i % 7}"))
    services.register_penduduk(rangda, nik="6201020101859999", **adult(nama="Lain"))
    ordering = [order] if order.lstrip("-") == "id" else [order, order.replace("nama", "id")]
    for qs, values in ((NameIndex.objects.filter(desa=rangda, nama__startswith="Warga"), ()),
                       (Penduduk.objects.filter(desa=rangda, nama__startswith="Warga"), ("nik",))):
        expected = list(qs.order_by(*ordering).values_list("id", flat=True)[:25])
        with django_assert_num_queries(1):
            page = keyset_page(qs, order, size=25, values=values, count=True)
        assert page.total == 30 and [row["id"] for row in page.rows] == expected and page.next_cursor
        assert keyset_page(qs.none(), order, size=25, values=values, count=True).total == 0
        rest = keyset_page(qs, order, after=page.next_cursor, size=25, values=values)
        assert rest.total is None and len(rest.rows) == 5


def test_an_operators_list_reads_their_villages_and_its_count_in_one_statement_each(operator_client, rangda, keluarga_budi):
    """The operator's villages are read as rows once (their ids scope the queries, their names fill
    the village filter), and the list's count with its village's data version."""
    operator_client.get("/penduduk/")
    with CaptureQueriesContext(connection) as ctx:
        html = operator_client.get("/penduduk/").content.decode()
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len([sql for sql in statements if 'FROM "wilayah_desa"' in sql]) == 1
    versions = [sql for sql in statements if "core_objectchange" in sql]
    assert len(versions) == 1 and "core_storedfigure" in versions[0]
    living = Penduduk.objects.filter(desa=rangda, status_dasar=1, deleted_at__isnull=True).count()
    assert living
    assert f"{living} penduduk ditemukan" in html


def test_list_costs_the_same_queries_however_many_rts_it_shows(operator_client, rangda, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sidekel.wilayah.services import ensure_rt

    def queries():
        operator_client.get("/penduduk/")  # once first: the session's save (idle expiry) and the caches' fill
        with CaptureQueriesContext(connection) as ctx:
            html = operator_client.get("/penduduk/").content.decode()
        return len(ctx.captured_queries), html

    def add(n):
        with django_capture_on_commit_callbacks(execute=True):  # the data version goes up, as after a real commit
            rt = ensure_rt(rangda, f"{n:03d}", "001", f"Dusun {n}")
            services.register_penduduk(rangda, nik=f"620102010185{n:04d}", rt=rt, **adult(nama=f"Warga {n:02d}"))
        return rt

    add(1)
    few, _ = queries()
    rts = [add(n) for n in range(2, 8)]
    many, html = queries()
    assert many == few
    assert all(str(rt) in html for rt in rts)  # in the rows and in the RT filter
    selected = operator_client.get(f"/penduduk/?rt={rts[0].pk}").content.decode()
    assert f'<option value="{rts[0].pk}" selected>{rts[0]}</option>' in selected


def test_list_rows_show_link_masked_nik_sex_birth_address_and_status(operator_client, rangda, keluarga_budi):
    from sidekel.wilayah.services import ensure_rt

    rt = ensure_rt(rangda, "004", "002", "Melati")
    tini, _ = services.register_penduduk(rangda, nik="6201024408600001", rt=rt, **adult(
        nama="Tini Wulandari", jenis_kelamin=2, tanggal_lahir=datetime.date(1960, 8, 4)))
    services.record_death(tini, tanggal=datetime.date(2026, 1, 5))
    html = operator_client.get("/penduduk/?status=").content.decode()
    row = html[html.index(f'<a href="/penduduk/{tini.pk}/">Tini Wulandari</a>'):]
    row = row[:row.index("</tr>")]
    for cell in ('<span class="badge">Mati</span>', "620102**********", "<td>P</td>", "04-08-1960",
                 "Dusun Melati / RW 002 / RT 004", "<td>Rangda</td>"):
        assert cell in row
    budi = html[html.index("Budi Santoso</a>"):]
    assert "Dusun Sumber Rejeki / RT 001" in budi[:budi.index("</tr>")] and "badge" not in budi[:budi.index("</tr>")]
    filters = operator_client.get("/penduduk/").content.decode()
    assert f'<option value="{rt.pk}">Dusun Melati / RW 002 / RT 004</option>' in filters
    assert f'<option value="{rt.dusun_id}">Dusun Melati</option>' in filters


def test_filters_by_age_sex_and_text(operator_client, keluarga_budi):
    assert [p["nama"] for p in operator_client.get("/penduduk/?jk=2").context["page"].rows] == ["Siti Aminah"]
    rows = operator_client.get("/penduduk/?umur_max=17").context["page"].rows
    assert [p["nama"] for p in rows] == ["Andi"]
    html = operator_client.get("/penduduk/?umur_min=50&umur_max=10").content.decode()
    assert "Batas umur atas" in html
    assert [p["nama"] for p in operator_client.get("/penduduk/?q=amina").context["page"].rows] == ["Siti Aminah"]
    assert [p["nama"] for p in operator_client.get("/penduduk/?q=620102650787").context["page"].rows] == ["Siti Aminah"]
    # A name search of several words: every resident whose name holds all of them, in the list
    # (the name table alone) and with a filter beside it (the residents' table).
    assert [p["nama"] for p in operator_client.get("/penduduk/?q=amin+siti").context["page"].rows] == ["Siti Aminah"]
    assert [p["nama"] for p in operator_client.get("/penduduk/?q=amin+siti&jk=2").context["page"].rows] == ["Siti Aminah"]
    assert [p["nama"] for p in operator_client.get(
        "/penduduk/?q=amin+siti&desa=62.01.02.2010&urut=umur").context["page"].rows] == ["Siti Aminah"]
    assert operator_client.get("/penduduk/?q=amin+budi").context["total"] == 0
    # A NIK typed with spaces, dots or dashes is the same number.
    for typed in ("6201 0265 0787 0001", "6201.02.650787.0001", "6201-0265-0787-0001"):
        assert [p["nama"] for p in operator_client.get("/penduduk/", {"q": typed}).context["page"].rows] == ["Siti Aminah"]


def test_guided_death_form_asks_for_a_new_head(operator_client, keluarga_budi):
    keluarga, budi, siti, _ = keluarga_budi
    today = timezone.localdate().strftime("%d-%m-%Y")
    html = operator_client.post(f"/penduduk/{budi.pk}/kematian/", {"tanggal": today}).content.decode()
    assert "Kepala keluarga baru" in html and not Peristiwa.objects.exists()
    operator_client.post(f"/penduduk/{budi.pk}/kematian/", {"tanggal": today, "kepala_baru": siti.pk, "tempat": "RSUD"})
    assert Peristiwa.objects.get().jenis == 2 and keluarga.kepala == siti


def test_birth_form_on_the_family_page(operator_client, keluarga_budi):
    keluarga, budi, siti, _ = keluarga_budi
    born = (timezone.localdate() - datetime.timedelta(days=2)).strftime("%d-%m-%Y")
    response = operator_client.post(f"/keluarga/{keluarga.pk}/kelahiran/", {
        "nama": "Bayi Nur", "jenis_kelamin": 2, "tanggal_lahir": born, "tempat_lahir": "Pangkalan Bun",
        "ibu": siti.pk, "ayah": budi.pk, "nik": ""}, follow=True)
    assert "Kelahiran sudah dicatat" in response.content.decode()
    assert keluarga.anggota.get(nama="Bayi Nur").nama_ibu == "Siti Aminah"


def test_the_plain_list_counts_every_resident_and_follows_each_change(operator_client, rangda):
    # Over the cap of counted matches, the plain list still gives the exact number (kept per
    # data version), and the next change shows at once.
    import sidekel.penduduk.views as views

    people = [services.register_penduduk(rangda, nik=f"620102010185{i + 1:04d}", **adult(nama=f"Warga {i:02d}"))[0]
              for i in range(14)]
    cap, views.COUNT_CAP = views.COUNT_CAP, 10
    try:
        assert operator_client.get("/penduduk/").context["total"] == 14
        services.record_death(people[0], tanggal=timezone.localdate(), user=operator_client.user)
        response = operator_client.get("/penduduk/")
        assert response.context["total"] == 13
        assert "13 penduduk ditemukan" in response.content.decode()
        services.delete_penduduk(people[1], user=operator_client.user, reason="salah input")
        assert operator_client.get("/penduduk/").context["total"] == 12
        # A filtered list is counted up to the cap.
        assert "Lebih dari 10 penduduk" in operator_client.get("/penduduk/?jk=1").content.decode()
        # A search's first page counts every match (in the statement that sorts them).
        first = operator_client.get("/penduduk/?q=warga")
        assert first.context["total"] == 12 and "12 penduduk ditemukan" in first.content.decode()
        assert [row["nama"] for row in first.context["page"].rows] == [f"Warga {i:02d}" for i in range(2, 14)]
        assert operator_client.get("/penduduk/?q=tidak-ada").context["total"] == 0
    finally:
        views.COUNT_CAP = cap


@pytest.mark.parametrize("urut", ["nama", "-nama", "baru"])
@pytest.mark.parametrize("status", ["1", ""])  # the living (default), everyone
def test_a_name_search_gives_the_same_pages_from_the_name_table_as_from_the_residents(client, rangda, raja, urut, status):
    """A name search with no other filter is answered from the narrow name table (NameIndex);
    with any other filter (here "age 0 or more", true of everyone) from the residents' table.
    Both give the same residents, counts and pages, and neither shows another village's."""
    admin = create_user("admin_kec", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    people = [services.register_penduduk(desa, nik=f"620102010185{i + 1:04d}",
                                         **adult(nama=f"Warga {i % 7:02d} {'Rangda' if desa == rangda else 'Raja'}"))[0]
              for i, desa in enumerate([rangda, raja] * 20)]
    services.record_death(people[3], tanggal=timezone.localdate(), user=admin)
    services.delete_penduduk(people[4], user=admin, reason="salah input")

    def pages(client, query):
        rows, url, totals = [], f"/penduduk/?{query}", []
        while url:
            context = client.get(url).context
            rows += [row["id"] for row in context["page"].rows]
            totals.append(context["total"])
            cursor = context["page"].next_cursor
            url = f"/penduduk/?{query}&setelah={cursor}" if cursor else None
        return rows, totals[0]

    def sorts_in_name_table(query, table="nameindex"):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/penduduk/?{query}")
        # The statement that sorts (a first page's counts too, in a materialized CTE) reads the name
        # table: across villages the words of names, each resident once (on PostgreSQL the first
        # rows of each word, LATERAL: NameWordQuerySet.keyset_rows).
        source = '("penduduk_nameword"|x)' if table == "nameword" else f'"penduduk_{table}"'
        pattern = rf'(WITH m \([^)]*\) AS MATERIALIZED \()?SELECT (DISTINCT )?{source}\."id"'
        return any(re.match(pattern, q["sql"]) for q in queries)

    client.force_login(admin)
    query = f"q=arga&urut={urut}&status={status}"
    assert sorts_in_name_table(query, "nameword") and not sorts_in_name_table(query + "&umur_min=0", "nameword")
    assert not sorts_in_name_table(query)
    from_names, from_residents = pages(client, query), pages(client, query + "&umur_min=0")
    living = [p for p in people if p.id not in (people[3].id, people[4].id)] if status else [
        p for p in people if p.id != people[4].id]
    assert from_names == from_residents
    assert sorted(from_names[0]) == sorted(p.id for p in living) and from_names[1] == len(living)

    # An operator of one village: three letters from the words of names on SQLite, from the name
    # table on PostgreSQL (its trigram index of village and name); two from the village's rows.
    operator = create_user("op_raja", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False)
    client.force_login(operator)
    short = query.replace("q=arga", "q=ar")
    assert sorts_in_name_table(query, "nameword" if connection.vendor == "sqlite" else "nameindex")
    assert not sorts_in_name_table(short, "nameword") and not sorts_in_name_table(short)
    for seen in (pages(client, query)[0], pages(client, short)[0]):
        assert seen and set(seen) == {p.id for p in living if p.desa_id == raja.id}


@pytest.mark.parametrize("urut", ["nama", "-nama"])
@pytest.mark.parametrize("query", ["jk=1", "umur_min=20&umur_max=40&status=", "desa=62.01.02.1007&pekerjaan=2",
                                   "q=6201+0201+0185",  # the first digits of a NIK
                                   "q=ar", "q=a+rg", "desa=62.01.02.1007&q=ar"])  # words of one or two letters
def test_a_filtered_list_by_name_gives_the_same_pages_by_either_way_of_reading(client, rangda, raja, monkeypatch,
                                                                                urut, query):
    """A filtered list sorted by name walks the name index when many residents match and sorts
    the matches when few do (``views._sorted_by_name``, decided by the count): both give the
    same residents in the same order, page after page, across villages."""
    import sidekel.penduduk.views as views

    admin = create_user("admin_kec", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    today = timezone.localdate()
    people = [services.register_penduduk(desa, nik=f"620102010185{i + 1:04d}", **adult(
        nama=f"Warga {(i * 7) % 13:02d}", jenis_kelamin=1 + i % 2, pekerjaan=1 + i % 3,
        tanggal_lahir=today.replace(year=today.year - 18 - i % 30, day=1)))[0]
        for i, desa in enumerate([rangda, raja] * 15)]
    services.record_death(people[0], tanggal=today, user=admin)
    client.force_login(admin)
    monkeypatch.setattr(views, "PAGE_SIZE", 4)

    def pages(residents):
        monkeypatch.setattr(views, "living_count", lambda ids: {i: residents for i in ids})
        rows, url, sqls = [], f"/penduduk/?{query}&urut={urut}", []
        while url:
            with CaptureQueriesContext(connection) as queries:
                page = client.get(url).context["page"]
            sqls += [q["sql"] for q in queries if "ORDER BY" in q["sql"] and "penduduk_penduduk" in q["sql"]]
            rows += [(row["nama"], row["id"]) for row in page.rows]
            url = f"/penduduk/?{query}&urut={urut}&setelah={page.next_cursor}" if page.next_cursor else None
        return rows, sqls

    walked, walk_sql = pages(residents=0)  # "many match": walk the name index
    sorted_, sort_sql = pages(residents=10**9)  # "few match": sort the matches
    assert walked == sorted_ and len(walked) > 4
    assert walked == sorted(walked, reverse=urut.startswith("-"))
    if connection.vendor == "sqlite":  # PostgreSQL walks the name index by itself when many match
        assert all("(+" in sql for sql in walk_sql) and not any("(+" in sql for sql in sort_sql)


def test_the_first_digits_of_a_nik_are_counted_up_to_the_cap_not_all_of_them(client, rangda, raja, monkeypatch):
    """While a NIK is typed, the list asks for each prefix, and the first six digits match every
    resident of the kecamatan: such a search is counted up to the cap, as a filter is, and its
    page is not counted in its own statement. The whole 16 digits are still counted exactly."""
    import sidekel.penduduk.views as views

    admin = create_user("admin_kec", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    for i, desa in enumerate([rangda, raja] * 4):
        services.register_penduduk(desa, nik=f"620102010185{i + 1:04d}", **adult(nama=f"Warga {i}"))
    client.force_login(admin)
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    for prefix in ("620102", "6201 0201 0185"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/penduduk/", {"q": prefix})
        assert response.context["total"] == 6 and not response.context["total_exact"], prefix
        assert "Lebih dari 5 penduduk ditemukan" in response.content.decode()
        assert not any("OVER ()" in q["sql"] for q in queries), prefix
        assert [row["nama"] for row in response.context["page"].rows] == [f"Warga {i}" for i in range(8)]
    with CaptureQueriesContext(connection) as queries:  # nothing matches: no page is read
        response = client.get("/penduduk/", {"q": "620199"})
    assert response.context["total"] == 0 and response.context["page"].rows == []
    assert not any("ORDER BY" in q["sql"] and "penduduk_penduduk" in q["sql"] for q in queries)
    response = client.get("/penduduk/", {"q": "6201020101850003"})
    assert [row["nama"] for row in response.context["page"].rows] == ["Warga 2"]
    assert response.context["total"] == 1 and response.context["total_exact"]
