"""The client IP: X-Forwarded-For is believed only when a trusted proxy sent it."""

from __future__ import annotations

import pytest

from bookreader.auth.client_ip import client_ip, parse_networks
from bookreader.config import get_settings

PROXIES = parse_networks("10.0.0.0/8, 127.0.0.1")


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_spoofed_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_ip("203.0.113.7", "1.2.3.4") == "203.0.113.7"
    assert client_ip("203.0.113.7", "1.2.3.4", PROXIES) == "203.0.113.7"


def test_without_a_header_the_peer_is_the_client() -> None:
    assert client_ip("127.0.0.1", None) == "127.0.0.1"
    assert client_ip("127.0.0.1", "") == "127.0.0.1"


def test_by_default_no_proxy_is_trusted_not_even_loopback() -> None:
    # A local process, an SSH tunnel or a TLS terminator that does not rewrite the header
    # would otherwise choose its own address and escape every per-address limit.
    assert client_ip("127.0.0.1", "198.51.100.20") == "127.0.0.1"
    assert client_ip("::1", "2001:db8::5") == "::1"


def test_behind_a_named_loopback_proxy_the_forwarded_client_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1/32,::1/128")
    get_settings.cache_clear()
    assert client_ip("127.0.0.1", "198.51.100.20") == "198.51.100.20"
    assert client_ip("::1", "2001:db8::5") == "2001:db8::5"


def test_the_right_most_untrusted_address_wins_over_what_the_client_wrote() -> None:
    # The client claimed 1.1.1.1; nginx appended the real address it saw.
    assert client_ip("127.0.0.1", "1.1.1.1, 198.51.100.20", PROXIES) == "198.51.100.20"


def test_a_chain_of_trusted_proxies_is_walked_past() -> None:
    header = "1.1.1.1, 198.51.100.20, 10.0.0.5, 10.1.2.3"
    assert client_ip("127.0.0.1", header, PROXIES) == "198.51.100.20"


def test_several_header_lines_read_as_one_list() -> None:
    assert client_ip("10.0.0.1", ["1.1.1.1", "198.51.100.20"], PROXIES) == "198.51.100.20"


def test_garbage_in_the_header_stops_the_walk_at_the_last_known_hop() -> None:
    assert client_ip("127.0.0.1", "not-an-ip") == "127.0.0.1"
    assert client_ip("10.0.0.1", "198.51.100.20, <script>, 10.0.0.9", PROXIES) == "10.0.0.9"


def test_ports_brackets_and_ipv4_mapped_addresses_are_understood() -> None:
    assert client_ip("127.0.0.1", "198.51.100.20:4711", PROXIES) == "198.51.100.20"
    assert client_ip("127.0.0.1", "[2001:db8::5]:443", PROXIES) == "2001:db8::5"
    assert client_ip("::ffff:127.0.0.1", "198.51.100.20", PROXIES) == "198.51.100.20"


def test_trusted_proxies_come_from_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "192.168.0.0/16")
    get_settings.cache_clear()
    assert client_ip("192.168.1.1", "198.51.100.20") == "198.51.100.20"
    # Only what the list names is trusted.
    assert client_ip("127.0.0.1", "198.51.100.20") == "127.0.0.1"
