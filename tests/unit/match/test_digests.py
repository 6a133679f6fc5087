from __future__ import annotations

import hashlib

from tests.contract.test_signal_type_contract import SignalTypeContract
from tests.helpers.images import make_image, to_bytes
from vigil.match.md5 import Md5Signal
from vigil.match.sha256 import Sha256Signal


class TestMd5Signal(SignalTypeContract):
    signal_type = Md5Signal

    def content(self) -> bytes:
        return to_bytes(make_image(1))

    def other_content(self) -> bytes:
        return to_bytes(make_image(2))


class TestSha256Signal(SignalTypeContract):
    signal_type = Sha256Signal

    def content(self) -> bytes:
        return b"%PDF-1.4 a small document"

    def other_content(self) -> bytes:
        return b"%PDF-1.4 another small document"


def test_digests_match_hashlib_and_accept_upper_case(tmp_path) -> None:
    data = b"video bytes"
    path = tmp_path / "v.mp4"
    path.write_bytes(data)
    assert Md5Signal.hash_file(path) == hashlib.md5(data).hexdigest()
    assert Sha256Signal.parse(hashlib.sha256(data).hexdigest().upper()) == hashlib.sha256(data).hexdigest()
