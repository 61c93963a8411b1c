"""The histories to apply: the core's, then each installed plugin's, dependencies first."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import TYPE_CHECKING, cast

from tortoise.models import Model

from oms.migrate.layout import History, MigrationError, core_history

if TYPE_CHECKING:
    from oms.plugins import PluginHost

MIGRATIONS_FOLDER = "migrations"


def _models_of(modules: tuple[str, ...]) -> list[type[Model]]:
    found: list[type[Model]] = []
    for name in modules:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Model)
                and value.__module__ == name
                and not value._meta.abstract
            ):
                found.append(value)
    return found


def _referenced_model_names(model: type[Model]) -> set[str]:
    """Names of the models ``model``'s relations point at (``"models.Order"`` -> ``Order``)."""
    names = set()
    for field in model._meta.fields_map.values():
        target = getattr(field, "model_name", None)
        if isinstance(target, str) and "." in target:
            names.add(target.split(".", 1)[1])
    return names


def _plugin_declarations(host: PluginHost) -> list[tuple[str, tuple[str, ...], str | None]]:
    """``(plugin name, model modules, migrations package or None)`` of each plugin that
    declares models or migrations."""
    modules: dict[str, list[str]] = {}
    for impl in host.pm.hook.oms_models.get_hookimpls():
        # pluggy types any hook's result as object; these are the specs' (hookspecs.py).
        modules.setdefault(impl.plugin_name, []).extend(cast("list[str] | None", impl.function()) or [])
    packages: dict[str, str | None] = {}
    for impl in host.pm.hook.oms_migrations.get_hookimpls():
        packages[impl.plugin_name] = cast("str | None", impl.function())
    names = sorted(set(modules) | {n for n, p in packages.items() if p})
    return [(name, tuple(modules.get(name, ())), packages.get(name)) for name in names]


def _package_folder(plugin: str, package: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise MigrationError(
            f"plugin {plugin!r}: oms_migrations names {package!r}, which does not import ({exc})"
        ) from None
    if module.__file__ is None:
        raise MigrationError(f"plugin {plugin!r}: oms_migrations must name a regular package, not {package!r}")
    return Path(module.__file__).resolve().parent / MIGRATIONS_FOLDER


def plugin_histories(host: PluginHost) -> list[History]:
    """One history per plugin with models, in an order where each comes after the
    histories whose tables it references. A plugin with models but no ``oms_migrations``
    is a one-line :class:`MigrationError`: its tables could never be created."""
    histories: list[History] = []
    for plugin, modules, package in _plugin_declarations(host):
        if package is None:
            raise MigrationError(
                f"plugin {plugin!r} declares models ({', '.join(modules)}) but no migrations: "
                "it must implement oms_migrations (see docs/writing_plugins.md)"
            )
        histories.append(
            History(
                key=package.split(".")[0],
                label=f"plugin {plugin!r}",
                modules=modules,
                root=_package_folder(plugin, package),
                plugin=plugin,
            )
        )
    keys = [h.key for h in histories]
    if len(set(keys)) != len(keys):
        raise MigrationError(f"two plugins declare migrations in the same package: {sorted(keys)}")
    return _in_dependency_order(histories)


def _in_dependency_order(histories: list[History]) -> list[History]:
    owner = {model.__name__: h.key for h in histories for model in _models_of(h.modules)}
    with_deps = []
    for history in histories:
        referenced = {name for model in _models_of(history.modules) for name in _referenced_model_names(model)}
        after = tuple(sorted({owner[n] for n in referenced if n in owner} - {history.key}))
        with_deps.append(History(**{**history.__dict__, "after": after}))
    ordered: list[History] = []
    pending = sorted(with_deps, key=lambda h: h.key)
    while pending:
        done = {h.key for h in ordered}
        ready = [h for h in pending if set(h.after) <= done]
        if not ready:
            cycle = ", ".join(f"{h.label} -> {list(h.after)}" for h in pending)
            raise MigrationError(f"plugins' models reference each other in a cycle: {cycle}")
        ordered.append(ready[0])
        pending.remove(ready[0])
    return ordered


def all_histories(host: PluginHost | None = None) -> list[History]:
    """The core's history, then every installed plugin's (``host``: default the installed
    plugins)."""
    if host is None:
        from oms.plugins import PluginHost

        host = PluginHost.load()
    return [core_history(), *plugin_histories(host)]


def find_history(host: PluginHost, name: str) -> History:
    """The history of the plugin called ``name`` (entry point name or package)."""
    histories = plugin_histories(host)
    for history in histories:
        if name in (history.plugin, history.key):
            return history
    known = ", ".join(f"{h.plugin} ({h.key})" for h in histories) or "none"
    raise MigrationError(f"no installed plugin {name!r} declares migrations (plugins with migrations: {known})")
