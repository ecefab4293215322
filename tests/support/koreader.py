"""KOReader's progress-sync plugin (kosync.koplugin) as it talks to a sync server, and the
document ids it computes, written from KOReader's sources for the tests (not from ours)."""

from __future__ import annotations

import hashlib
import uuid

import requests

from local.launcher import RunningRuntime
from tests.support.auth_client import fake_ip

ACCEPT = "application/vnd.koreader.v1+json"  # KOSyncClient's "GinClient" middleware


def koreader_partial_md5(data: bytes) -> str:
    """frontend/util.lua `util.partialMD5`: MD5 over 1024-byte reads at `lshift(1024, 2*i)`
    for i = -1 … 10, stopping at the first read past the end. LuaJIT's `bit.lshift` shifts by
    the count modulo 32, so i = -1 shifts by 30 and the 32-bit result is 0."""
    digest = hashlib.md5(usedforsecurity=False)
    for i in range(-1, 11):
        offset = (1024 << ((2 * i) % 32)) % 2**32
        sample = data[offset : offset + 1024]
        if not sample:
            break
        digest.update(sample)
    return digest.hexdigest()


def koreader_filename_md5(name: str) -> str:
    """The "file name" matching mode: `md5(file_name)` of the file's base name."""
    return hashlib.md5(name.encode("utf-8"), usedforsecurity=False).hexdigest()


class KOReader:
    """One KOReader device logged in to a custom sync server at `/api/kosync` with a username
    and a password: it keeps only `userkey = md5(password)` and sends it as `x-auth-key`."""

    def __init__(
        self,
        rt: RunningRuntime,
        username: str,
        password: str,
        *,
        model: str = "Kobo_io",
        device_id: str | None = None,
    ) -> None:
        self.base = f"{rt.api_url}/kosync"
        self.username = username
        self.userkey = hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()
        self.model = model  # KOReader sends `Device.model` as `device`
        self.device_id = device_id or str(uuid.uuid4()).upper()  # G_reader_settings device_id
        self.ip = fake_ip()

    def _headers(self, signed: bool = True) -> dict[str, str]:
        headers = {"Accept": ACCEPT, "X-Forwarded-For": self.ip}
        if signed:
            headers |= {"x-auth-user": self.username, "x-auth-key": self.userkey}
        return headers

    def register(self) -> requests.Response:
        return requests.post(
            f"{self.base}/users/create",
            json={"username": self.username, "password": self.userkey},
            headers=self._headers(signed=False),
            timeout=30,
        )

    def authorize(self) -> requests.Response:
        return requests.get(f"{self.base}/users/auth", headers=self._headers(), timeout=30)

    def update_progress(
        self, document: str, progress: str | int, percentage: float
    ) -> requests.Response:
        body = {
            "document": document,
            "progress": str(progress),  # KOSyncClient: `tostring(progress)`
            "percentage": percentage,
            "device": self.model,
            "device_id": self.device_id,
        }
        return requests.put(
            f"{self.base}/syncs/progress", json=body, headers=self._headers(), timeout=30
        )

    def get_progress(self, document: str) -> requests.Response:
        return requests.get(
            f"{self.base}/syncs/progress/{document}", headers=self._headers(), timeout=30
        )
