"""Rendering a message from its Jinja2 templates: a subject, a text and an HTML body.

Templates are looked up, first found wins, in the store's folder (``OMS_TEMPLATES_DIR``),
then each plugin's ``templates`` folder, then the core's (``oms/notifications/templates``).
Within them, ``email/<product type>/<message>.txt`` comes before ``email/<message>.txt``, so
a plugin (or the store) words a message differently for its product type.

The text template's ``subject`` block is the subject. HTML is autoescaped (customers'
names and addresses are text, never markup); the text part is not HTML at all. Amounts
and dates are formatted with Babel for ``OMS_LOCALE`` and ``OMS_TIMEZONE``. Rendering is
CPU work: it runs in the mail job, never on a request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import zoneinfo
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency

from oms.config import Settings
from oms.money import Money
from oms.plugins import PluginHost

CORE_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclasses.dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def plugin_template_dirs(plugins: PluginHost) -> list[Path]:
    """The ``templates`` folder beside each plugin's module (its package's), if any."""
    dirs: list[Path] = []
    for name, plugin in plugins.pm.list_name_plugin():
        if name in plugins.core_names or plugin is None:
            continue
        module = inspect.getmodule(plugin)
        source = getattr(module, "__file__", None)
        if source:
            candidate = Path(source).resolve().parent / "templates"
            if candidate.is_dir() and candidate not in dirs:
                dirs.append(candidate)
    return dirs


class Renderer:
    def __init__(self, settings: Settings, template_dirs: list[Path]):
        self.settings = settings
        self.zone = zoneinfo.ZoneInfo(settings.timezone)
        self._formatted: dict[tuple[type, str, str], str] = {}
        loaders: list[jinja2.BaseLoader] = []
        if settings.templates_dir:
            loaders.append(jinja2.FileSystemLoader(settings.templates_dir))
        loaders += [jinja2.FileSystemLoader(str(path)) for path in template_dirs]
        loaders.append(jinja2.FileSystemLoader(str(CORE_TEMPLATES)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=jinja2.ChainableUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(money=self.money, datetime=self.datetime, date=self.date)

    @classmethod
    def for_host(cls, settings: Settings, plugins: PluginHost) -> Renderer:
        return cls(settings, plugin_template_dirs(plugins))

    # -- filters ------------------------------------------------------------------------

    def money(self, value: Any, currency: str | None = None) -> str:
        if isinstance(value, Money):
            return self._currency(value.amount, value.currency)
        if value is None or value == "":
            return ""
        return self._currency(value, currency or self.settings.currency)

    def _currency(self, amount: Any, currency: str) -> str:
        """Babel's format_currency, kept by (type, text, currency): a mail formats the same
        few amounts several times (~0.1 ms each), and every mail its order's."""
        key = (type(amount), str(amount), currency)
        text = self._formatted.get(key)
        if text is None:
            text = format_currency(amount, currency, locale=self.settings.locale)
            if len(self._formatted) >= 4096:
                self._formatted.clear()
            self._formatted[key] = text
        return text

    def _moment(self, value: Any, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if not isinstance(value, dt.datetime):
            return None
        return value.astimezone(zone)

    def datetime(self, value: Any, format: str = "medium", timezone: str | None = None) -> str:
        """``value`` in OMS_TIMEZONE (or ``timezone``, e.g. a consultant's), for OMS_LOCALE."""
        zone = zoneinfo.ZoneInfo(timezone) if timezone else self.zone
        moment = self._moment(value, zone)
        if moment is None:
            return ""
        return format_datetime(moment, format, tzinfo=zone, locale=self.settings.locale)

    def date(self, value: Any, format: str = "long") -> str:
        moment = self._moment(value, self.zone)
        return "" if moment is None else format_date(moment.date(), format, locale=self.settings.locale)

    # -- rendering ----------------------------------------------------------------------

    def names(self, message: str, extension: str, product_type: str | None) -> list[str]:
        names = [f"email/{message}.{extension}"]
        if product_type:
            names.insert(0, f"email/{product_type}/{message}.{extension}")
        return names

    def render(self, message: str, context: dict[str, Any], *, product_type: str | None = None) -> Rendered:
        text_template = self.env.select_template(self.names(message, "txt", product_type))
        html_template = self.env.select_template(self.names(message, "html", product_type))
        subject_block = text_template.blocks.get("subject")
        if subject_block is None:
            raise jinja2.TemplateError(f"{text_template.name} has no {{% block subject %}}")
        subject = "".join(subject_block(text_template.new_context(context)))
        return Rendered(
            # One line: a subject never carries a line break (header injection).
            subject=" ".join(subject.split())[:400],
            text=text_template.render(context),
            html=html_template.render(context),
        )


@functools.lru_cache(maxsize=8)
def _cached(settings: Settings, dirs: tuple[Path, ...]) -> Renderer:
    return Renderer(settings, list(dirs))


def renderer_for(settings: Settings, plugins: PluginHost) -> Renderer:
    """One renderer (and its template cache) per settings and plugin set."""
    return _cached(settings, tuple(plugin_template_dirs(plugins)))
