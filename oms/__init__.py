"""oms: an order-management backend with per-product-type delivery plugins."""

from oms.hookspecs import hookimpl

__all__ = ["hookimpl"]
__version__ = "0.1.0"
