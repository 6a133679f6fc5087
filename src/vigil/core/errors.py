"""Every error Vigil raises on purpose. Messages say what failed, on which value, and how to fix it.

    VigilError
    ├── InputError                      the user can fix it (exit code 2)
    │   ├── InvalidInput                a file, record or argument that cannot be read
    │   │   └── RecordError             one record inside a file (carries file and line)
    │   ├── InputTooLarge               over a configured size bound
    │   ├── InvalidLabel
    │   ├── InvalidSignal               a hash or signal value of the wrong shape
    │   ├── NotFound                    an id, bank, case ... that does not exist
    │   └── UnknownFormat               no connector recognises the file
    ├── SourceError                     something outside Vigil failed (exit code 3)
    │   ├── MissingCredentials          names the environment variable that fixes it
    │   └── StoreUnavailable            the database cannot be reached or migrated
    ├── ConfigError                     settings, policy or model files (exit code 2)
    └── PluginError                     a plugin broke its contract (exit code 1)
        └── StageError                  a stage failed on one item; the item is quarantined

Third-party exceptions are translated at the boundary with ``raise ... from exc``.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_GENERAL = 1
EXIT_USER = 2
EXIT_EXTERNAL = 3


class VigilError(Exception):
    """Base of every deliberate Vigil error. ``code`` is a stable machine-readable name."""

    code = "vigil_error"
    exit_code = EXIT_GENERAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}\n  fix: {hint}")

    def as_dict(self) -> dict[str, str]:
        out = {"code": self.code, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out


class InputError(VigilError):
    code = "input_error"
    exit_code = EXIT_USER


class InvalidInput(InputError):
    code = "invalid_input"


class RecordError(InvalidInput):
    """One record in a file could not be read. The rest of the file goes on; this one is quarantined."""

    code = "invalid_record"

    def __init__(self, path: str, line: int | None, reason: str, *, hint: str | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}", hint=hint)


class InputTooLarge(InputError):
    code = "input_too_large"

    def __init__(self, what: str, size: int, limit: int, setting: str) -> None:
        super().__init__(
            f"{what} is {size:,} bytes, over the limit of {limit:,} bytes",
            hint=f"raise the limit with the setting {setting!r} (VIGIL_{setting.upper()}) if this input is trusted",
        )


class InvalidLabel(InputError):
    code = "invalid_label"

    def __init__(self, value: str) -> None:
        from vigil.core.labels import ALL_LABELS

        super().__init__(
            f"unknown label {value!r}",
            hint="use one of: " + ", ".join(label.value for label in ALL_LABELS),
        )


class InvalidSignal(InputError):
    code = "invalid_signal"

    def __init__(self, signal_type: str, value: str, reason: str) -> None:
        shown = value if len(value) <= 80 else value[:77] + "..."
        super().__init__(f"invalid {signal_type} signal {shown!r}: {reason}")


class NotFound(InputError):
    code = "not_found"

    def __init__(self, what: str, key: object, *, hint: str | None = None) -> None:
        super().__init__(f"no {what} {key!r}", hint=hint)


class UnknownFormat(InputError):
    code = "unknown_format"


class SourceError(VigilError):
    code = "source_error"
    exit_code = EXIT_EXTERNAL


class MissingCredentials(SourceError):
    code = "missing_credentials"

    def __init__(self, what: str, env_var: str) -> None:
        super().__init__(f"{what} needs credentials", hint=f"set the environment variable {env_var}")


class StoreUnavailable(SourceError):
    code = "store_unavailable"


class ConfigError(VigilError):
    code = "config_error"
    exit_code = EXIT_USER


class PluginError(VigilError):
    code = "plugin_error"
    exit_code = EXIT_GENERAL


class StageError(PluginError):
    """A stage failed on one item. The pipeline stores it in quarantine and goes on with the batch."""

    code = "stage_error"

    def __init__(self, stage: str, plugin: str, reason: str, *, error_code: str = "stage_error") -> None:
        self.stage = stage
        self.plugin = plugin
        self.reason = reason
        self.error_code = error_code
        super().__init__(f"stage {stage!r} (plugin {plugin!r}) failed: {reason}")
