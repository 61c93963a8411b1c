"""Start-up checks of the names the core and the plugins share.

Model class names, reverse relation names and GraphQL type names are one namespace across
the core and every plugin: Tortoise keeps one model per class name in the single ``models``
app (a second ``Booking`` would silently replace the first), a reverse relation is an
attribute of its target model, and a GraphQL schema has one type per name. Each clash is a
:class:`oms.plugins.PluginConfigError` naming both sides ("the core" or the plugin) and the
name, raised before anything is served.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from tortoise.models import Model

    from oms.plugins import PluginHost

CORE = "the core"
# The root types: the schema builder makes them of parts, a plugin type must not take a name.
ROOT_NAMES = ("Query", "Mutation", "Subscription")
# Types named, but not walked into: plugins add fields (Me) or members (the details union)
# to them, claimed by each plugin.
OPAQUE_NAMES = frozenset({"Me", "FulfillmentDetails"})


def _owner(plugin_name: str) -> str:
    return f"plugin {plugin_name!r}"


def _error(message: str) -> Exception:
    from oms.plugins import PluginConfigError

    return PluginConfigError(message)


# -- models ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Declared:
    model: type[Model]
    owner: str  # "the core" or "plugin 'name'"


def model_owners(host: PluginHost, core_modules: Iterable[str]) -> dict[str, _Declared]:
    """Every model of the ``models`` app by class name, with who brings it; a PluginConfigError
    when two different classes share a name."""
    modules: list[tuple[str, str]] = [(module, CORE) for module in core_modules]
    for impl in host.pm.hook.oms_models.get_hookimpls():
        named = cast("Iterable[str] | None", impl.function())  # pluggy types any hook's result as object
        modules.extend((module, _owner(impl.plugin_name)) for module in named or ())
    by_module = {module: owner for module, owner in reversed(modules)}  # the first claim wins
    found: dict[str, _Declared] = {}
    for module_name, owner in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise _error(
                f"{owner[0].upper()}{owner[1:]} lists model module {module_name!r}, which cannot be imported: {exc}"
            ) from None
        for model in _discover(module):
            # An imported model belongs to whoever lists the module that defines it.
            declared = _Declared(model, by_module.get(model.__module__, owner))
            existing = found.setdefault(model.__name__, declared)
            if existing.model is not model:
                raise _error(
                    f"Model name {model.__name__!r} is used by both {existing.owner} "
                    f"({existing.model.__module__}) and {declared.owner} ({model.__module__}): "
                    "Tortoise keeps one model per class name across oms and its plugins; rename one."
                )
    return found


def _discover(module: Any) -> Iterator[type[Model]]:
    """The models Tortoise would take from ``module`` into the ``models`` app (read-only)."""
    from tortoise.models import Model

    candidates = getattr(module, "__models__", None) or [getattr(module, name) for name in dir(module)]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, Model) and not candidate._meta.abstract:
            if candidate._meta.app in (None, "models"):
                yield candidate


def check_relations(models: Mapping[str, _Declared]) -> None:
    """Reverse relation names (``related_name``) must be unique on their target model and
    must not hide one of its fields."""
    from tortoise.fields.relational import ForeignKeyFieldInstance, ManyToManyFieldInstance, OneToOneFieldInstance

    taken: dict[tuple[str, str], tuple[str, str]] = {}  # (target, name) -> (owner, "Model.field")
    for name, declared in models.items():
        for field_name, _field in _own_fields(declared.model):
            taken[(name, field_name)] = (declared.owner, f"{name}.{field_name}")
    for name, declared in sorted(models.items()):
        meta = declared.model._meta
        for field_name in sorted(meta.fk_fields | meta.o2o_fields | meta.m2m_fields):
            field = meta.fields_map[field_name]
            if not isinstance(field, (ForeignKeyFieldInstance, OneToOneFieldInstance, ManyToManyFieldInstance)):
                continue
            if isinstance(field, ManyToManyFieldInstance) and field._generated:
                continue  # the reverse side Tortoise made of another model's field
            if field.related_name is False:
                continue
            target = field.model_name if isinstance(field.model_name, str) else f"models.{field.model_name.__name__}"
            target_name = target.rpartition(".")[2]
            if target_name not in models:
                continue  # Tortoise names the missing model itself
            reverse = field.related_name or f"{meta.db_table or name.lower()}s"
            here = (declared.owner, f"{name}.{field_name}")
            other = taken.setdefault((target_name, reverse), here)
            if other != here:
                raise _error(
                    f"Relation name {target_name}.{reverse} is used by both {other[0]} ({other[1]}) "
                    f"and {here[0]} ({here[1]}): give the relation another related_name."
                )


def _own_fields(model: type[Model]) -> Iterator[tuple[str, Any]]:
    """The model's declared fields and FK columns, without the reverse relations Tortoise
    added to it (once initialised, they are in ``fields_map`` too)."""
    from tortoise.fields.relational import BackwardFKRelation, BackwardOneToOneRelation, ManyToManyFieldInstance

    meta = model._meta
    for field_name, field in meta.fields_map.items():
        if isinstance(field, (BackwardFKRelation, BackwardOneToOneRelation)):
            continue
        if isinstance(field, ManyToManyFieldInstance) and field._generated:
            continue
        yield field_name, field
    for field_name in meta.fk_fields | meta.o2o_fields:
        yield f"{field_name}_id", None


def check_models(host: PluginHost) -> None:
    """Model class names and reverse relation names: unique across core and plugins."""
    from oms.db import CORE_MODEL_MODULES

    check_relations(model_owners(host, CORE_MODEL_MODULES))


# -- GraphQL types -----------------------------------------------------------------------------


def check_graphql_type_names(
    host: PluginHost, core_root_parts: Mapping[str, Iterable[type]], core_types: Iterable[type]
) -> None:
    """GraphQL type names reachable from the plugins' ``oms_graphql_types`` and
    ``oms_graphql_fields`` must not name two different types, the core's or another
    plugin's. ``core_types`` are the core's named types (``Me`` included);
    ``core_root_parts`` the parts of its root types. The plugins' parts of every type they
    add fields to (``Order``, ``Variant``...) are walked like root parts."""
    core_parts = [part for parts in core_root_parts.values() for part in parts]
    names: dict[str, tuple[Any, str]] = {name: (("root", name), CORE) for name in ROOT_NAMES}
    _claim(names, _reachable(core_types, core_parts), CORE)
    for hook_name, named in (("oms_graphql_types", True), ("oms_graphql_fields", False)):
        for impl in getattr(host.pm.hook, hook_name).get_hookimpls():
            result = impl.function() or ()
            if named:
                found = _reachable(list(result), [])
            else:
                found = _reachable([], [part for parts in dict(result).values() for part in parts])
            _claim(names, found, _owner(impl.plugin_name))


def _claim(names: dict[str, tuple[Any, str]], found: Mapping[str, Any], owner: str) -> None:
    for name, key in found.items():
        # A core type a plugin reaches (a payload of oms.graphql) is the core's, not the plugin's.
        claimant = CORE if key[0] in ("type", "enum") and key[1].split(".")[0] == "oms" else owner
        existing = names.setdefault(name, (key, claimant))
        if existing[0] != key:
            raise _error(
                f"GraphQL type name {name!r} is used by both {existing[1]} and {claimant}: "
                "a schema has one type per name; rename one (strawberry.type(name=...))."
            )


def _reachable(types: Iterable[Any], root_parts: Iterable[type]) -> dict[str, Any]:
    """``{graphql name: identity}`` of the named types reachable from ``types`` (named
    themselves) and from the fields of ``root_parts`` (whose fields join a root type)."""
    found: dict[str, Any] = {}
    seen: set[int] = set()
    stack: list[Any] = list(types)
    for part in root_parts:
        stack.extend(_field_types(part))
    while stack:
        item = _unwrap(stack.pop())
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        named = _name_and_key(item)
        if named is not None:
            found.setdefault(*named)
        stack.extend(_children(item))
    return found


def _unwrap(item: Any) -> Any:
    from strawberry.types.base import StrawberryContainer
    from strawberry.types.lazy_type import LazyType

    while True:
        if isinstance(item, StrawberryContainer):
            item = item.of_type
        elif isinstance(item, LazyType):
            try:
                item = item.resolve_type()
            except Exception:  # a lazy type that cannot resolve yet: the schema build says so
                return None
        elif typing.get_origin(item) is typing.Annotated:
            item = typing.get_args(item)[0]
        else:
            return item


def _name_and_key(item: Any) -> tuple[str, Any] | None:
    from strawberry.types.enum import StrawberryEnumDefinition
    from strawberry.types.union import StrawberryUnion

    definition = getattr(item, "__strawberry_definition__", None)
    if definition is not None and hasattr(definition, "fields"):
        origin = definition.origin
        # As Strawberry compares them: a class re-imported under its old name is the same type.
        return definition.name, ("type", origin.__module__, origin.__qualname__)
    enum_definition = item if isinstance(item, StrawberryEnumDefinition) else definition
    if isinstance(enum_definition, StrawberryEnumDefinition):
        wrapped = enum_definition.wrapped_cls
        return enum_definition.name, ("enum", wrapped.__module__, wrapped.__qualname__)
    if isinstance(item, StrawberryUnion) and item.graphql_name:
        return item.graphql_name, ("union", id(item))
    scalar = getattr(item, "_scalar_definition", None)
    if scalar is not None and getattr(scalar, "name", None):
        return scalar.name, ("scalar", id(scalar))
    return None


def _children(item: Any) -> list[Any]:
    from strawberry.types.union import StrawberryUnion

    if isinstance(item, StrawberryUnion):
        return [] if item.graphql_name in OPAQUE_NAMES else list(item.types)
    definition = getattr(item, "__strawberry_definition__", None)
    if definition is None or not hasattr(definition, "fields") or definition.name in OPAQUE_NAMES:
        return []
    return [*_field_types(item), *(interface.origin for interface in definition.interfaces)]


def _field_types(cls: type) -> list[Any]:
    """The types of a Strawberry type's fields and of their arguments."""
    from strawberry.types.base import get_object_definition

    types: list[Any] = []
    for field in get_object_definition(cls, strict=True).fields:
        try:
            types.append(field.type)
            types.extend(argument.type for argument in field.arguments)
        except Exception:  # an annotation that cannot resolve: the schema build reports it
            continue
    return types


# -- permissions and error codes ---------------------------------------------------------------

# A plugin's name: its namespace, an underscore, then upper snake case (valid as a GraphQL
# enum value, as a stored permission string and on the command line).
DECLARED_NAME = re.compile(r"^[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]$")


def declared_permissions(host: PluginHost) -> dict[str, str]:
    """``{permission name: plugin name}`` of every plugin's ``oms_permissions``; a
    PluginConfigError for a malformed name or a name declared twice (naming both)."""
    from oms.permissions import Permission

    return _declared(host, "oms_permissions", "permission", set(Permission.__members__), lambda item: item)


def declared_error_codes(host: PluginHost) -> dict[str, Any]:
    """``{code name: PluginErrorCode}`` of every plugin's ``oms_error_codes``; errors as
    for :func:`declared_permissions`."""
    from oms.errors import ErrorCode, PluginErrorCode

    def name_of(item: Any) -> str:
        if not isinstance(item, PluginErrorCode):
            raise TypeError(item)
        return item.value

    owners = _declared(host, "oms_error_codes", "error code", set(ErrorCode.__members__), name_of)
    return {name: PluginErrorCode(name) for name in owners}


def _declared(host: PluginHost, hook_name: str, what: str, core: set[str], name_of: Any) -> dict[str, str]:
    owners: dict[str, str] = {}
    for impl in getattr(host.pm.hook, hook_name).get_hookimpls():
        for item in impl.function() or ():
            try:
                name = name_of(item)
            except TypeError:
                raise _error(
                    f"{_owner(impl.plugin_name)} declares {item!r} in {hook_name}, which is not an "
                    "oms.errors.PluginErrorCode."
                ) from None
            if not isinstance(name, str) or not DECLARED_NAME.match(name):
                raise _error(
                    f"{_owner(impl.plugin_name)} declares the {what} {name!r}: use upper snake case "
                    "beginning with the plugin's namespace, e.g. TICKETS_CHECK_IN."
                )
            if name in core:
                raise _error(f"The {what} {name!r} is declared by both {CORE} and {_owner(impl.plugin_name)}.")
            if name in owners and owners[name] != impl.plugin_name:
                raise _error(
                    f"The {what} {name!r} is declared by both {_owner(owners[name])} and {_owner(impl.plugin_name)}."
                )
            owners[name] = impl.plugin_name
    return owners


def check_declarations(host: PluginHost) -> None:
    """Plugins' permissions and error codes: well formed, each declared once."""
    declared_permissions(host)
    declared_error_codes(host)
