"""The signal-type contract: every signal type's tests inherit `SignalTypeContract` and set
``signal_type`` plus ``content()`` (a sample the type hashes). Modelled on python-threatexchange's
``signal_type_test_helper``."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from vigil.core.errors import InvalidInput, InvalidSignal
from vigil.core.registry import Manifest
from vigil.match.base import SignalIndex, SignalType
from vigil.plugins import BUILTIN_MODULES


class SignalTypeContract:
    signal_type: type[SignalType]

    def content(self) -> str | bytes:
        """A sample of content this type hashes (text for text types, file bytes for file types)."""
        raise NotImplementedError

    def other_content(self) -> str | bytes:
        """Unrelated content that must not match ``content()``."""
        raise NotImplementedError

    def hash(self, content: str | bytes) -> str:
        st = self.signal_type
        return st.hash_text(content) if isinstance(content, str) else st.hash_bytes(content)

    # ---- identity and registration --------------------------------------------------------

    def test_contract_name_is_lower_snake(self) -> None:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", self.signal_type.name)

    def test_contract_module_has_manifest_and_is_registered(self) -> None:
        module = importlib.import_module(self.signal_type.__module__)
        assert isinstance(module.MANIFEST, Manifest)
        assert self.signal_type in module.MANIFEST.signal_types
        assert self.signal_type.__module__ in BUILTIN_MODULES

    def test_contract_declares_kinds_input_and_index(self) -> None:
        st = self.signal_type
        assert st.content_kinds
        assert st.input in ("text", "file")
        assert inspect.isclass(st.index_cls) and issubclass(st.index_cls, SignalIndex)
        assert 0 <= st.default_threshold <= st.max_threshold

    # ---- validation ------------------------------------------------------------------------

    def test_contract_examples_are_canonical(self) -> None:
        assert self.signal_type.examples
        for example in self.signal_type.examples:
            canonical = self.signal_type.parse(example)
            assert canonical == self.signal_type.parse(canonical)

    @pytest.mark.parametrize("bad", ["", "   ", "\n"])
    def test_contract_rejects_empty(self, bad: str) -> None:
        with pytest.raises(InvalidSignal):
            self.signal_type.parse(bad)

    def test_contract_rejects_non_strings_and_huge_values(self) -> None:
        with pytest.raises(InvalidSignal):
            self.signal_type.parse(12345)
        with pytest.raises(InvalidSignal):
            self.signal_type.parse("a" * 100_000)

    def test_contract_parse_strips_whitespace(self) -> None:
        example = self.signal_type.examples[0]
        assert self.signal_type.parse(f"  {example}\n") == self.signal_type.parse(example)

    # ---- hashing ----------------------------------------------------------------------------

    def test_contract_hash_is_valid_and_deterministic(self) -> None:
        signal = self.hash(self.content())
        assert self.signal_type.parse(signal) == signal
        assert self.hash(self.content()) == signal

    def test_contract_wrong_input_kind_raises_input_error(self) -> None:
        st = self.signal_type
        with pytest.raises(InvalidInput):
            st.hash_bytes(b"\x89PNG") if st.input == "text" else st.hash_text("some text")

    # ---- distance ---------------------------------------------------------------------------

    def test_contract_compare_is_a_distance(self) -> None:
        a, b = self.hash(self.content()), self.hash(self.other_content())
        st = self.signal_type
        assert st.compare(a, a) == 0
        assert st.compare(a, b) == st.compare(b, a) > 0
        assert st.matches(a, a)
        assert not st.matches(a, b)

    # ---- index ------------------------------------------------------------------------------

    def test_contract_index_finds_each_entry(self) -> None:
        st = self.signal_type
        signals = [st.parse(e) for e in st.examples] + [self.hash(self.content())]
        index = st.index_cls.build([(s, i) for i, s in enumerate(signals)], radius=st.default_threshold)
        assert len(index) == len(signals)
        for i, s in enumerate(signals):
            found = dict(index.query(s))
            assert found.get(i) == 0

    def test_contract_index_returns_every_entry_of_a_shared_signal(self) -> None:
        st = self.signal_type
        s = self.hash(self.content())
        index = st.index_cls.build([(s, 1), (s, 2)], radius=st.default_threshold)
        assert sorted(i for i, _ in index.query(s)) == [1, 2]

    def test_contract_index_does_not_return_unrelated(self) -> None:
        st = self.signal_type
        index = st.index_cls.build([(self.hash(self.content()), 7)], radius=st.default_threshold)
        assert index.query(self.hash(self.other_content())) == []

    def test_contract_empty_index(self) -> None:
        st = self.signal_type
        index = st.index_cls.build([], radius=st.default_threshold)
        assert len(index) == 0
        assert index.query(self.hash(self.content())) == []
