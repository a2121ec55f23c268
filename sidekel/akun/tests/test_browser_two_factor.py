"""The kecamatan admin sets up two-factor sign-in and logs in with the app's code, in Chromium,
at 1366 and 360 px; the operator turns it on from their account page."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.akun.tests.test_two_factor import totp
from sidekel.conftest import LAPTOP, PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.two_factor]
PASSWORD = "sandi-dua-langkah-2026"


@pytest.fixture
def accounts(transactional_db, arut_selatan):
    create_user("admin.kec", role=Role.ADMIN_KECAMATAN, password=PASSWORD)
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=["62.01.02.2010"])


@pytest.mark.parametrize("viewport,size", [(LAPTOP, "laptop"), (PHONE, "ponsel")])
def test_admin_enrols_then_logs_in_with_the_apps_code(open_page, accounts, viewport, size):
    page = open_page(viewport)
    login(page, "admin.kec", PASSWORD)
    # Nothing opens before the second factor is set up.
    assert page.url.endswith("/akun/dua-langkah/")
    page.go("/desa/")
    assert "/akun/dua-langkah/" in page.url
    assert page.get_by_text("Peran Anda wajib masuk dengan verifikasi dua langkah").is_visible()
    qr = page.locator(".qr svg")
    assert qr.is_visible() and 150 <= qr.bounding_box()["width"] <= 230
    screenshot(page, f"akun-01-dua-langkah-{size}")
    page.get_by_text("Tidak bisa memindai? Ketik kunci ini").click()
    typed_key = page.locator(".secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user__username="admin.kec", confirmed=False)
    assert __import__("base64").b32decode(typed_key) == device.bin_key
    page.get_by_label("Kode dari aplikasi").fill("123")
    page.get_by_role("button", name="Aktifkan").click()
    assert page.get_by_text("Kode itu tidak cocok").is_visible()
    page.get_by_label("Kode dari aplikasi").fill(totp(device))
    page.get_by_role("button", name="Aktifkan").click()
    page.wait_for_load_state()
    codes = re.findall(r"\d{4} \d{4}", page.locator(".backup-codes").inner_text())
    assert len(codes) == 10
    screenshot(page, f"akun-02-kode-cadangan-{size}")
    page.get_by_role("link", name="Sudah saya simpan; lanjutkan").click()
    page.wait_for_load_state()
    assert page.url.endswith("/desa/")

    # Log out, log in again: the password, then the code the app shows.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    login(page, "admin.kec", PASSWORD)
    assert "/masuk/kode/" in page.url
    page.get_by_label("Kode").fill("000000")
    page.get_by_role("button", name="Verifikasi").click()
    assert page.get_by_text("Kode salah, atau kode cadangan yang sudah dipakai").is_visible()
    screenshot(page, f"akun-03-kode-salah-{size}")
    device.refresh_from_db()
    page.get_by_label("Kode").fill(totp(device, steps_ahead=1))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_load_state()
    assert page.url.endswith("/desa/")
    page.get_by_role("link", name="admin.kec").click()
    page.wait_for_load_state()
    assert page.get_by_text("Wajib untuk peran Anda: tidak dapat dimatikan.").is_visible()
    assert page.get_by_text("Sisa 10 kode cadangan.").is_visible()
    screenshot(page, f"akun-04-profil-admin-{size}")


def test_operator_turns_it_on_from_their_account_and_sees_the_password_rules(open_page, accounts):
    page = open_page(PHONE)
    login(page, "operator.rangda", PASSWORD)
    assert "/masuk/kode/" not in page.url and "/dua-langkah/" not in page.url
    page.get_by_role("link", name="operator.rangda").click()
    page.wait_for_load_state()
    assert page.get_by_text("nonaktif").is_visible()
    screenshot(page, "akun-05-profil-operator-ponsel")
    page.get_by_role("link", name="Ganti kata sandi").click()
    page.wait_for_load_state()
    assert page.get_by_text("Kata sandi Anda harus memuat setidaknya 8 karakter.").is_visible()
    screenshot(page, "akun-06-ganti-sandi-ponsel")
