"""The plugin host: loads plugins, keeps the product-type registry, calls hooks.

Built-in plugins (``plugins/``) and third-party ones load the same way: from the ``oms``
entry-point group. Tests add plugin objects through ``extra_plugins``.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

import pluggy

from oms import hookspecs
from oms.plugin_checks import check_declarations, check_models
from oms.plugin_settings import SettingError, check_declaration, read_settings
from oms.plugin_types import ProductType, SettingsDeclaration

ENTRY_POINT_GROUP = "oms"


# Hooks that declare things (types, models, routes, schema parts, jobs, carriers,
# commands): their results are used without awaiting, so they must not be async.
SYNC_ONLY_HOOKS = (
    "oms_settings",
    "oms_product_types",
    "oms_models",
    "oms_routes",
    "oms_graphql_types",
    "oms_graphql_fields",
    "oms_periodic_jobs",
    "oms_job_handlers",
    "oms_dead_job_handlers",
    "oms_cli_commands",
    "oms_shipping_carriers",
    "oms_permissions",
    "oms_error_codes",
    "oms_migrations",
)


class PluginConfigError(RuntimeError):
    """The set of installed plugins cannot start (a type owned twice, a bad hookimpl)."""


@dataclasses.dataclass(frozen=True)
class RegisteredType:
    product_type: ProductType
    plugin_name: str
    plugin: object


async def await_me_maybe(value: Any) -> Any:
    """Return ``value``, awaiting it first when a (possibly async) hookimpl returned one."""
    if inspect.isawaitable(value):
        value = await value
    return value


class PluginHost:
    """One per process: a pluggy manager plus the registry of product types."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.types: dict[str, RegisteredType] = {}
        self._owner_callers: dict[tuple[str, str], Any] = {}
        # prefix -> (plugin name, declaration, parsed values); filled once by load().
        self._settings: dict[str, tuple[str, SettingsDeclaration, Mapping[str, Any]]] = {}
        self._takes_host: dict[str, bool] = {}
        self.core_names: frozenset[str] = frozenset()

    # -- start-up -----------------------------------------------------------------

    @classmethod
    def load(
        cls,
        extra_plugins: Sequence[object] = (),
        *,
        entry_points: bool = True,
        environ: Mapping[str, str] | None = None,
        core_plugins: Sequence[ModuleType] = (),
    ) -> PluginHost:
        """Register the installed plugins (and ``extra_plugins``), check them and read their
        settings from ``environ`` (default ``os.environ``): any problem is a one-line
        :class:`PluginConfigError`, raised here, before anything serves.

        ``core_plugins`` are the core's own hookimpl modules (:mod:`oms.core_plugins`, its
        job handlers), passed by the process that runs jobs; ``oms plugins`` omits them."""
        pm = pluggy.PluginManager("oms")
        pm.add_hookspecs(hookspecs)
        try:
            for core in core_plugins:
                pm.register(core, name=core.__name__)
            # A hookimpl whose arguments are not in its spec fails here, at registration.
            if entry_points:
                pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
            for plugin in extra_plugins:
                name = getattr(plugin, "__name__", None) or repr(plugin)
                if pm.is_registered(plugin) or pm.has_plugin(name):
                    raise PluginConfigError(
                        f"Plugin {name!r} is registered twice (is it installed as well as passed in extra_plugins?)."
                    )
                pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginConfigError(f"A plugin has a hookimpl that does not match its hook: {exc}") from exc
        try:
            pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginConfigError(f"A plugin implements a hook that does not exist: {exc}") from exc
        if os.environ.get("OMS_TRACE_PLUGINS", "").lower() not in ("", "0", "false", "no", "off"):
            pm.trace.root.setwriter(sys.stderr.write)
            pm.enable_tracing()
        host = cls(pm)
        host.core_names = frozenset(core.__name__ for core in core_plugins)
        host._refuse_async_start_up_hooks()
        host._read_settings(os.environ if environ is None else environ)
        host._register_types()
        # Model and relation names are one namespace across core and plugins: a clash
        # names both here, instead of a model silently replaced when Tortoise starts.
        check_models(host)
        check_declarations(host)  # plugin permissions and error codes: one owner per name
        return host

    def _refuse_async_start_up_hooks(self) -> None:
        """Hooks whose results are used synchronously must be plain functions: say so at
        start, not when the hook is first called (a shipment, a CLI command)."""
        for hook_name in SYNC_ONLY_HOOKS:
            culprits = [
                impl.plugin_name
                for impl in getattr(self.pm.hook, hook_name).get_hookimpls()
                if inspect.iscoroutinefunction(impl.function)
            ]
            if culprits:
                raise PluginConfigError(f"{hook_name} must not be async (plugins: {', '.join(culprits)}).")

    def _read_settings(self, environ: Mapping[str, str]) -> None:
        """Validate every plugin's declared settings once; the values are then fixed for
        the life of the host (a changed variable needs a restart, as for OMS_* settings)."""
        for impl in self.pm.hook.oms_settings.get_hookimpls():
            declared = impl.function()
            if declared is None:
                continue
            try:
                declaration = check_declaration(impl.plugin_name, declared)
                values = read_settings(declaration, environ)
            except SettingError as exc:
                raise PluginConfigError(str(exc)) from None
            existing = self._settings.get(declaration.prefix)
            if existing is not None:
                raise PluginConfigError(
                    f"Settings prefix {declaration.prefix!r} (OMS_{declaration.prefix.upper()}_*) is "
                    f"declared by two plugins: {existing[0]!r} and {impl.plugin_name!r}."
                )
            self._settings[declaration.prefix] = (impl.plugin_name, declaration, values)

    def _register_types(self) -> None:
        for impl in self.pm.hook.oms_product_types.get_hookimpls():
            declared: Any = impl.function() or []  # a plugin's answer: checked item by item below
            if inspect.isawaitable(declared):
                _discard(declared)
                raise PluginConfigError(f"Plugin {impl.plugin_name!r}: oms_product_types must not be async.")
            for product_type in declared:
                if not isinstance(product_type, ProductType):
                    raise PluginConfigError(
                        f"Plugin {impl.plugin_name!r} declared {product_type!r}, "
                        "which is not an oms.plugin_types.ProductType."
                    )
                existing = self.types.get(product_type.name)
                if existing is not None:
                    raise PluginConfigError(
                        f"Product type {product_type.name!r} is claimed by two plugins: "
                        f"{existing.plugin_name!r} and {impl.plugin_name!r}. "
                        "Exactly one plugin may own a type; uninstall or disable one."
                    )
                self.types[product_type.name] = RegisteredType(product_type, impl.plugin_name, impl.plugin)

    # -- the registry ---------------------------------------------------------------

    def get_type(self, name: str) -> ProductType | None:
        registered = self.types.get(name)
        return registered.product_type if registered else None

    def owner_name(self, product_type: str) -> str:
        return self.types[product_type].plugin_name

    def plugin_names(self) -> list[str]:
        return sorted(name for name, _ in self.pm.list_name_plugin() if name not in self.core_names)

    def owned_types(self, plugin_name: str) -> list[ProductType]:
        return [r.product_type for r in self.types.values() if r.plugin_name == plugin_name]

    def settings_for(self, prefix: str) -> Mapping[str, Any]:
        """The values of the settings a plugin declared under ``prefix`` (``oms_settings``),
        by setting name, read-only; read and checked once when the host was loaded."""
        try:
            return self._settings[prefix][2]
        except KeyError:
            declared = ", ".join(sorted(self._settings)) or "none"
            raise LookupError(f"No plugin declares settings with prefix {prefix!r} (declared: {declared}).") from None

    def setting_declarations(self) -> list[tuple[str, SettingsDeclaration]]:
        """``(plugin name, declaration)`` of every plugin that declares settings."""
        return [(plugin, declaration) for plugin, declaration, _ in self._settings.values()]

    # -- calling hooks ----------------------------------------------------------------

    def owner_implements(self, hook_name: str, owner_type: str) -> bool:
        """Whether the plugin owning ``owner_type`` implements ``hook_name``."""
        owner = self.types[owner_type].plugin
        return any(impl.plugin is owner for impl in getattr(self.pm.hook, hook_name).get_hookimpls())

    def _with_host(self, hook_name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Pass this host as ``plugins`` to the hooks that offer it, so a hookimpl can ask
        for it (``plugins.settings_for(...)``) without every caller handing it on."""
        takes_host = self._takes_host.get(hook_name)
        if takes_host is None:
            spec = getattr(self.pm.hook, hook_name).spec
            takes_host = self._takes_host[hook_name] = spec is not None and "plugins" in spec.argnames
        if takes_host and "plugins" not in kwargs:
            kwargs["plugins"] = self
        return kwargs

    async def call_owner(self, hook_name: str, owner_type: str, /, **kwargs: Any) -> Any:
        """Call ``hook_name`` on the one plugin owning the type ``owner_type``; None if it
        does not implement the hook."""
        kwargs = self._with_host(hook_name, kwargs)
        key = (hook_name, owner_type)
        caller = self._owner_callers.get(key)
        if caller is None:
            owner = self.types[owner_type].plugin
            others = [p for p in self.pm.get_plugins() if p is not owner]
            caller = self.pm.subset_hook_caller(hook_name, remove_plugins=others)
            self._owner_callers[key] = caller
        return await await_me_maybe(caller(**kwargs))

    async def call_all(self, hook_name: str, /, **kwargs: Any) -> list[Any]:
        """Call ``hook_name`` on every plugin and await each result that is awaitable."""
        kwargs = self._with_host(hook_name, kwargs)
        results = getattr(self.pm.hook, hook_name)(**kwargs)
        return [await await_me_maybe(result) for result in results]

    def call_all_sync(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """For start-up hooks that must answer synchronously (models, routes, types)."""
        kwargs = self._with_host(hook_name, kwargs)
        results = getattr(self.pm.hook, hook_name)(**kwargs)
        if any(inspect.isawaitable(result) for result in results):
            for result in results:
                _discard(result)
            hook = getattr(self.pm.hook, hook_name)
            culprits = [i.plugin_name for i in hook.get_hookimpls() if inspect.iscoroutinefunction(i.function)]
            raise PluginConfigError(f"{hook_name} must not be async (plugins: {', '.join(culprits)}).")
        return results

    def collect(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Flatten the list results of a start-up hook."""
        return [item for result in self.call_all_sync(hook_name, **kwargs) for item in result or ()]


def _discard(value: Any) -> None:
    """Close a coroutine that will never be awaited (else Python warns when it is collected)."""
    if inspect.iscoroutine(value):
        value.close()


def plugin_model_modules(host: PluginHost) -> list[str]:
    return host.collect("oms_models")


def describe(host: PluginHost) -> Iterable[str]:
    """Lines for ``oms plugins``: each plugin and the types it owns."""
    for name in host.plugin_names():
        types = host.owned_types(name)
        if types:
            owned = ", ".join(
                f"{t.name} (ships: {'yes' if t.requires_shipping else 'no'}, "
                f"stock: {'yes' if t.tracks_stock else 'no'})"
                for t in types
            )
        else:
            owned = "no product types"
        yield f"{name}: {owned}"
        for t in types:
            if t.description:
                yield f"  {t.name}: {t.description}"
