"""Translation for analysts: pluggable `Translator`s (``translators`` plugin kind)."""
