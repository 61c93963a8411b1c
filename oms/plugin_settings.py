"""Plugin settings: declared by ``oms_settings``, read from ``OMS_<PREFIX>_<NAME>`` once at
start, handed out by :meth:`oms.plugins.PluginHost.settings_for`.

Every problem is a :class:`oms.plugins.PluginConfigError` of one line naming the variable
(or the plugin, for a bad declaration) and what is expected, so ``oms serve`` and
``oms worker`` refuse to start with a message an operator can act on.
"""

from __future__ import annotations

import enum
import json
import re
import types
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from oms.plugin_types import PluginSetting, SettingsDeclaration

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_MAX_SHOWN = 60  # characters of a bad value repeated in its error message


class SettingError(ValueError):
    """A declaration or a value is wrong; the host turns it into a PluginConfigError."""


def variable_name(prefix: str, setting: PluginSetting) -> str:
    """``("physical", flat_rate)`` -> ``"OMS_PHYSICAL_FLAT_RATE"``."""
    return f"OMS_{prefix.upper()}_{setting.name.upper()}"


def check_declaration(plugin_name: str, declared: object) -> SettingsDeclaration:
    """The declaration, if well formed; else a SettingError naming the plugin."""
    if not isinstance(declared, SettingsDeclaration):
        raise SettingError(
            f"Plugin {plugin_name!r}: oms_settings returned {declared!r}, not an oms.plugin_types.SettingsDeclaration."
        )
    if not isinstance(declared.prefix, str) or not _IDENTIFIER.fullmatch(declared.prefix):
        raise SettingError(
            f"Plugin {plugin_name!r}: settings prefix {declared.prefix!r} must be lowercase letters, "
            "digits and _, starting with a letter."
        )
    seen: set[str] = set()
    for setting in declared.settings:
        if not isinstance(setting, PluginSetting):
            raise SettingError(f"Plugin {plugin_name!r}: {setting!r} is not an oms.plugin_types.PluginSetting.")
        if not isinstance(setting.name, str) or not _IDENTIFIER.fullmatch(setting.name):
            raise SettingError(
                f"Plugin {plugin_name!r}: setting name {setting.name!r} must be lowercase letters, "
                "digits and _, starting with a letter."
            )
        if setting.name in seen:
            raise SettingError(f"Plugin {plugin_name!r}: setting {setting.name!r} is declared twice.")
        seen.add(setting.name)
        try:
            _parser(setting)  # an unknown type is the author's mistake: say so at start
        except SettingError as exc:
            raise SettingError(f"Plugin {plugin_name!r}: {exc}") from None
    return declared


def read_settings(declared: SettingsDeclaration, environ: Mapping[str, str]) -> Mapping[str, Any]:
    """The parsed value of every declared setting, by name (read-only); a SettingError of
    one line for the first variable that is missing or does not parse."""
    values: dict[str, Any] = {}
    for setting in declared.settings:
        variable = variable_name(declared.prefix, setting)
        raw = environ.get(variable)
        if raw is None:
            if setting.required:
                raise SettingError(f"{variable} is not set: {_expected(setting)}.")
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = _parser(setting)(raw)
        except (ValueError, TypeError, ArithmeticError) as exc:
            shown = raw if len(raw) <= _MAX_SHOWN else raw[:_MAX_SHOWN] + "..."
            problem = _one_line(str(exc)) or _expected(setting)
            raise SettingError(f"{variable}={shown!r}: {problem}") from None
    return types.MappingProxyType(values)


def describe_setting(prefix: str, setting: PluginSetting) -> str:
    """One line: the variable, what it takes, its default and its help."""
    default = "required" if setting.required else f"default {setting.default!r}"
    return f"{variable_name(prefix, setting)} ({_type_name(setting.type)}, {default}): {setting.help}"


# -- parsers -----------------------------------------------------------------------------------


def _parse_bool(raw: str) -> bool:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("expected a boolean: 1/0, true/false, yes/no or on/off")


def _parse_int(raw: str) -> int:
    if not _INTEGER.fullmatch(raw.strip()):
        raise ValueError("expected a whole number, e.g. 10")
    return int(raw.strip())


def _parse_decimal(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError("expected a decimal number, e.g. 4.90") from None
    if not value.is_finite():
        raise ValueError("expected a decimal number, e.g. 4.90")
    return value


def _parse_json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"expected JSON ({exc})") from None


def _enum_parser(enum_type: type[enum.Enum]) -> Callable[[str], enum.Enum]:
    def parse(raw: str) -> enum.Enum:
        for member in enum_type:
            if str(member.value) == raw.strip():
                return member
        choices = ", ".join(str(member.value) for member in enum_type)
        raise ValueError(f"expected one of {choices}")

    return parse


_BUILT_IN: dict[Any, Callable[[str], Any]] = {
    bool: _parse_bool,
    int: _parse_int,
    Decimal: _parse_decimal,
    str: str,
    "json": _parse_json,
}


def _parser(setting: PluginSetting) -> Callable[[str], Any]:
    kind = setting.type
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _enum_parser(kind)
    if isinstance(kind, str) or isinstance(kind, type):
        parser = _BUILT_IN.get(kind)
        if parser is None:
            raise SettingError(
                f"setting {setting.name!r} has type {kind!r}; use bool, int, Decimal, str, "
                '"json", an Enum or a parse function.'
            )
        return parser
    if callable(kind):
        return kind
    raise SettingError(f"setting {setting.name!r} has type {kind!r}, which is neither a type nor a function.")


def _type_name(kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "one of " + "/".join(str(member.value) for member in kind)
    if isinstance(kind, type) or isinstance(kind, str):
        return getattr(kind, "__name__", str(kind))
    return "text"


def _expected(setting: PluginSetting) -> str:
    help_text = f" ({setting.help})" if setting.help else ""
    return f"expected {_type_name(setting.type)}{help_text}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
