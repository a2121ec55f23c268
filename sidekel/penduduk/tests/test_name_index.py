"""The narrow name table (NameIndex) and the words of names (NameWord, Word) that name searches
read: the database keeps them equal to the residents' table through every write, however the
write is made."""

import datetime

import pytest
from django.db import connection

from sidekel.akun.choices import Role
from sidekel.akun.models import User
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.models import NameIndex, NameWord, Penduduk, Word, few_words_hold, name_table

COLUMNS = ("id", "desa_id", "nama", "status_dasar", "deleted_at")


def assert_mirrored():
    residents = sorted(Penduduk.objects.values_list(*COLUMNS))
    assert sorted(NameIndex.objects.values_list(*COLUMNS)) == residents
    # Each distinct word of each name (split at every space), with the rest of the name's row.
    words = sorted({(word, *row) for row in residents for word in row[2].split(" ") if word})
    assert sorted(NameWord.objects.values_list("word", *COLUMNS)) == words
    assert sorted(Word.objects.values_list("word", flat=True)) == sorted({row[0] for row in words})


def found(text):
    """Names of the residents a name search finds across villages, asked the three ways: through
    the name table (as a filtered list asks), through the words of names (as a list of names
    only asks), and through the table ``name_table`` picks; all three must agree."""
    through_names = sorted(NameIndex.objects.matching(text).values_list("nama", "id"))
    through_words = sorted(NameWord.objects.matching(text).values_list("nama", "id"))
    picked = sorted(name_table(text, one_village=False).objects.matching(text).values_list("nama", "id"))
    assert through_names == through_words == picked
    return [nama for nama, _id in through_names]


def found_in_village(text, desa_id):
    """The same among one village's names, through the name table and the table ``name_table``
    picks (on SQLite the words of names, for a word of three letters or more, checked for the
    village; on PostgreSQL the name table, through its trigram index of village and name)."""
    through_names = sorted(NameIndex.objects.in_village(desa_id).matching(text).values_list("nama", flat=True))
    picked = sorted(name_table(text, one_village=True).objects.in_village(desa_id).matching(text)
                    .values_list("nama", flat=True))
    assert through_names == picked
    return picked


def test_every_write_path_is_copied_into_the_name_index(keluarga_budi, rangda, raja):
    keluarga, budi, siti, andi = keluarga_budi
    admin = User.objects.create_user("admin_kec", password="x", role=Role.ADMIN_KECAMATAN)
    assert_mirrored()
    assert found("santoso") == ["Budi Santoso"]

    budi, _ = services.update_penduduk(budi, user=admin, changes={"nama": "Budi Hartono"}, version=budi.version)
    assert_mirrored()
    assert found("santoso") == [] and found("HARTONO") == ["Budi Hartono"]

    services.record_death(andi, tanggal=datetime.date.today())
    assert_mirrored()
    assert NameIndex.objects.get(id=andi.id).status_dasar == StatusDasar.MATI

    services.move_to_village(siti, raja, tanggal=datetime.date.today(), kepala_baru=None)
    assert_mirrored()
    assert NameIndex.objects.get(id=siti.id).desa_id == raja.id

    joko, _ = services.register_penduduk(raja, nik="6201021203850009", **adult(nama="Joko Susilo"))
    services.delete_penduduk(joko, user=admin, reason="dobel")
    assert_mirrored()
    assert not NameIndex.objects.for_user(admin).filter(id=joko.id).exists()
    services.undelete_penduduk(joko, user=admin)
    assert_mirrored()
    assert NameIndex.objects.for_user(admin).filter(id=joko.id).exists()

    # Writes that go round the services: a queryset update and a hard delete.
    Penduduk.objects.filter(id=joko.id).update(nama="Joko Widodo")
    assert_mirrored()
    assert found("widodo") == ["Joko Widodo"] and found("susilo") == []
    Penduduk.objects.filter(id=joko.id).delete()
    assert_mirrored()
    assert found("widodo") == []


def test_the_words_of_names_follow_odd_names_and_writes_of_many_rows(keluarga_budi, raja):
    keluarga, budi, siti, andi = keluarga_budi
    # Names written round the services, as they are: a repeated word, two spaces, spaces at the
    # ends, quotes and a backslash (JSON escapes them), a tab (not a space: part of its word).
    odd = {budi.id: "Siti  Siti", siti.id: 'O\'Neil "Bu" Ani', andi.id: " Back\\slash Tab\tbed "}
    for pk, nama in odd.items():
        Penduduk.objects.filter(id=pk).update(nama=nama)
    assert_mirrored()
    assert found('"bu"') == ['O\'Neil "Bu" Ani'] and found("k\\sla") == [" Back\\slash Tab\tbed "]
    assert found("tab\tbed") == found("slash") == [" Back\\slash Tab\tbed "]
    assert NameWord.objects.filter(id=budi.id).count() == 1  # "Siti" once
    # One statement changing, then deleting, several residents (PostgreSQL's statement triggers).
    Penduduk.objects.filter(id__in=odd).update(nama="Sama Nama")
    assert_mirrored()
    assert found("sama") == ["Sama Nama"] * 3
    assert not Word.objects.filter(word__in=["Siti", "Bu", "Tab\tbed"]).exists()  # gone with their last names
    Penduduk.objects.filter(id__in=[budi.id, siti.id]).delete()
    assert_mirrored()
    assert Word.objects.filter(word="Sama").exists()  # still in Andi's name
    Penduduk.objects.filter(id=andi.id).update(status_dasar=StatusDasar.MATI, desa=raja)
    assert_mirrored()


def test_the_name_index_triggers_survive_every_migration(db):
    """A migration that alters Penduduk rebuilds the table on SQLite and drops its triggers; such
    a migration must make them again (see 0004 and 0008). PostgreSQL keeps them itself, but a
    migration could still drop them by mistake."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
        triggers = set(cursor.fetchall())
    events = ("insert", "update", "delete")
    expected = {("penduduk_penduduk", f"penduduk_nameindex_{event}") for event in events}
    expected |= {("penduduk_nameindex", f"penduduk_nameword_{event}") for event in events}
    if connection.vendor == "sqlite":  # and from the list of words on into the FTS5 trigram table
        expected |= {("penduduk_word", f"penduduk_word_fts_{event}") for event in ("insert", "delete")}
    assert triggers == expected


@pytest.mark.parametrize("text, expected", [
    ("aminah", ["Siti Aminah"]),
    ("  SiTi   amin ", ["Siti Aminah"]),  # case and extra spaces ignored
    ("an", ["Andi", "Budi Santoso"]),  # two letters: no trigram index, still found
    ("s_ti%", []),  # no wildcards: names hold no % or _, which are dropped
    ("budi%", ["Budi Santoso"]),
    ("xyz", []),
    ('"siti', []), ("ami*", []), ("AND amin", []),  # quotes and FTS5 syntax are plain letters
    ("budi santo", ["Budi Santoso"]), ("santo BUDI", ["Budi Santoso"]),  # every word, in any order
    ("ti amin", ["Siti Aminah"]), ("s ami", ["Siti Aminah"]),  # short words too (no trigram index for them)
    ("siti budi", []), ("budi xyz", []),  # a name must hold all the words
])
def test_a_name_fragment_is_found_anywhere_in_the_name(keluarga_budi, text, expected):
    assert found(text) == expected
    assert found_in_village(text, keluarga_budi[0].desa_id) == expected


def test_a_search_in_one_village_reads_its_index_and_two_letters_read_the_village_s_residents(keluarga_budi, raja):
    """A word of three letters or more in one village is looked up, on SQLite, in the words of
    names (migration 0013), on PostgreSQL in the name table's trigram index of village and name
    (migration 0010), which holds one village's matches alone; one or two letters in one village
    read that village's residents along their own index, neither the words nor every name of the
    installation."""
    services.register_penduduk(raja, nik="6201021203850012", **adult(nama="Siti Aminah"))
    desa = keluarga_budi[0].desa
    found = Penduduk.objects.search("aminah", user=None, desa=desa)  # (a list filters its village before)
    sql = str(found.query)
    if connection.vendor == "sqlite":
        assert "penduduk_nameword" in sql and "penduduk_nameindex" not in sql
    else:
        assert "penduduk_nameword" not in sql and "penduduk_nameindex" in sql
    assert list(found.values_list("desa_id", flat=True)) == [desa.id]
    short = Penduduk.objects.filter(desa=desa).search("am", user=None, desa=desa)
    assert "penduduk_name" not in str(short.query)
    assert sorted(short.values_list("nama", flat=True)) == ["Siti Aminah"]
    # Several words, none of three letters: still too short for any trigram index.
    short = Penduduk.objects.filter(desa=desa).search("si am", user=None, desa=desa)
    assert "penduduk_name" not in str(short.query)
    assert sorted(short.values_list("nama", flat=True)) == ["Siti Aminah"]


def test_one_or_two_letters_across_villages_are_gathered_from_the_words_or_the_names_by_how_many_words_hold_them(
        keluarga_budi, raja):
    """Every match of one or two letters across villages (a search with a filter, or sorted other
    than by name) comes from the words of names when few words hold the letters, from the name
    table when many do (``few_words_hold``): the same residents either way."""
    names = ["Ani Wulandari", "Dani", "Rosana", "Joko Susilo", "Wulan", "Eka Putri", "Fitri Lestari", "Gilang Ramadhan",
             "Hendra Gunawan", "Indah Permata", "Kurnia Sari", "Made Wirawan", "Nur Hidayat", "Yusuf"]
    for i, nama in enumerate(names):
        services.register_penduduk(raja, nik=f"620102010185{i + 1:04d}", **adult(nama=nama))
    assert Word.objects.count() >= 20 and few_words_hold("") is False
    every_name = list(Penduduk.objects.values_list("nama", flat=True))
    for text, few in (("jo", True), ("an", False)):  # one word of 20 or more; most words
        assert few_words_hold(text) is few
        found = Penduduk.objects.search(text, user=None)
        assert ("penduduk_nameword" in str(found.query)) is few and ("penduduk_nameindex" in str(found.query)) is not few
        expected = sorted(nama for nama in every_name if text in nama.lower())
        assert sorted(found.values_list("nama", flat=True)) == expected and expected


def test_a_bulk_load_writes_the_words_of_its_names_at_the_end(keluarga_budi, raja):
    """Inside a bulk load the words of new names wait for its end (SQLite: the insert triggers
    are dropped; PostgreSQL: the trigger notes the ids). Names changed or deleted meanwhile end
    as they are at the end, and a load inside another leaves the words to the outer one."""
    from django.db import transaction

    from sidekel.penduduk.models import residents_inserted_in_bulk

    with transaction.atomic(), residents_inserted_in_bulk(3):
        joko, _ = services.register_penduduk(raja, nik="6201021203850009", **adult(nama="Joko Susilo"))
        Penduduk.objects.filter(id=joko.id).update(nama="Joko Widodo")
        ani, _ = services.register_penduduk(raja, nik="6201021203850010", **adult(nama="Ani Lestari"))
        Penduduk.objects.filter(id=ani.id).delete()
        if connection.vendor == "postgresql":  # (SQLite's dropped triggers cannot be dropped twice)
            with residents_inserted_in_bulk(1):
                services.register_penduduk(raja, nik="6201021203850011", **adult(nama="Dewi Sartika"))
    assert_mirrored()
    assert found("widodo") == ["Joko Widodo"] and found("susilo") == found("lestari") == []
    assert found("sartika") == (["Dewi Sartika"] if connection.vendor == "postgresql" else [])


@pytest.mark.parametrize("order", ["nama", "-nama", "-id"])
def test_the_words_of_names_give_the_pages_the_name_table_gives(rangda, raja, order):
    """Page by page, forwards then back, the words of names (their rows read word by word,
    ``keyset_rows``) give the residents and count the name table gives, though a name may hold
    the searched word twice (a row for each) and names repeat."""
    from sidekel.core.paging import keyset_page

    names = ["Sari Lailasari", "Sari Lailasari", "Dewi Sartika", "Sarinah", "Budi Sari", "Ani Wulandari",
             "Nur Sari Dewi", "Rosari", "Sari Sari Sari", "Kartini", "Sarip Hidayat", "Lasari Nur"]
    for i, nama in enumerate(names):
        services.register_penduduk(rangda if i % 2 else raja, nik=f"620102010185{i + 1:04d}", **adult(nama=nama))
    Penduduk.objects.filter(nama="Rosari").update(deleted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    for text in ("sari", "sari nur", "ari"):
        words = NameWord.objects.filter(deleted_at__isnull=True).matching(text)
        by_name = NameIndex.objects.filter(deleted_at__isnull=True).matching(text)
        expected = list(by_name.order_by(*([order] if order == "-id" else [order, order.replace("nama", "id")]))
                        .values_list("id", flat=True))
        pages, page = [], keyset_page(words, order, size=3, values=(), count=True)
        assert page.total == len(expected) == by_name.count() == words.count()
        assert words[:4].count() == min(4, len(expected))  # a count up to a cap, as the list's
        while True:
            pages.append([row["id"] for row in page.rows])
            if not page.next_cursor:
                break
            page = keyset_page(words, order, after=page.next_cursor, size=3, values=())
        assert [pk for rows in pages for pk in rows] == expected and expected
        for rows in reversed(pages[:-1]):  # and back, from the last page
            page = keyset_page(words, order, before=page.prev_cursor, size=3, values=())
            assert [row["id"] for row in page.rows] == rows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["adding", "removing"])
def test_a_word_stays_listed_while_another_transaction_adds_a_name_with_it(first):
    """Two transactions at once, each on its own connection: one adds a name with the word "Unik",
    the other removes the only name that had it. Whichever goes first, the second waits for it,
    and the word is listed at the end (it would be gone if the remover did not look again)."""
    import threading

    import psycopg

    one, two = 10**9 + 1, 10**9 + 2
    insert = "INSERT INTO penduduk_nameindex (id, desa_id, nama, status_dasar) VALUES (%s, 1, %s, 1)"

    def connect():
        return psycopg.connect(**connection.get_connection_params())

    adding, removing, watching = connect(), connect(), connect()
    watching.autocommit = True
    try:
        with connect() as setup:
            setup.execute(insert, [one, "Unik Satu"])
        steps = {"adding": (adding, lambda: adding.execute(insert, [two, "Unik Dua"])),
                 "removing": (removing, lambda: removing.execute("DELETE FROM penduduk_nameindex WHERE id = %s", [one]))}
        (early, early_step), (late, late_step) = steps[first], steps["removing" if first == "adding" else "adding"]
        early_step()
        failed = []

        def run_late():
            try:
                late_step()
                late.commit()
            except Exception as error:  # reported by the assertion below
                failed.append(error)

        waiting = threading.Thread(target=run_late)
        waiting.start()
        pid = late.info.backend_pid
        for _ in range(100):  # until the late transaction waits for the early one's lock
            if watching.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0] == "Lock":
                break
            waiting.join(0.05)
        else:
            pytest.fail("the second transaction did not wait for the first")
        early.commit()
        waiting.join(10)
        assert not waiting.is_alive() and not failed
        assert list(Word.objects.filter(word__startswith="Unik").values_list("word", flat=True)) == ["Unik"]
        assert sorted(NameWord.objects.filter(word__startswith="Unik").values_list("id", flat=True)) == [two]
    finally:
        for conn in (adding, removing):
            conn.close()
        watching.execute("DELETE FROM penduduk_nameindex WHERE id IN (%s, %s)", [one, two])
        watching.close()
        assert not Word.objects.exists() and not NameWord.objects.exists()
