"""Behind a reverse proxy every request arrives from the proxy's address: the rate limiter and the
login lockout must count the client named by the trusted proxy, and nobody else's header."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def through_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_RATE_LIMIT = 3


def test_one_clients_burst_does_not_limit_another_behind_the_same_proxy(one_proxy):
    greedy, other = through_proxy("198.51.100.7"), through_proxy("198.51.100.8")
    statuses = [greedy.get("/api/v1/speakers").status_code for _ in range(4)]
    assert statuses[-1] == 429
    assert other.get("/api/v1/speakers").status_code == 200


def test_a_forged_address_left_of_the_proxys_does_not_escape_the_limit(one_proxy):
    statuses = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7")
        .get("/api/v1/speakers")
        .status_code
        for n in range(4)
    ]
    assert statuses[-1] == 429  # the client is the address the proxy wrote, whatever it prepended


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.API_RATE_LIMIT = 3
    statuses = [
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").get("/api/v1/speakers").status_code
        for n in range(4)
    ]
    assert statuses[-1] == 429  # rotating a header the client writes itself changes nothing


def test_guessing_an_editors_password_does_not_lock_the_editor_out(one_proxy):
    User.objects.create_user("editor", password="the-editors-real-password", is_staff=True)
    attacker = through_proxy("198.51.100.66")
    for _ in range(6):
        attacker.post("/admin/login/", {"username": "editor", "password": "a-wrong-guess"})
    real = {"username": "editor", "password": "the-editors-real-password"}
    assert attacker.post("/admin/login/", real).status_code != 302  # locked out, from there

    editor = through_proxy("198.51.100.10")
    assert editor.post("/admin/login/", real).status_code == 302  # signed in from the editor's own address
