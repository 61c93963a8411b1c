"""Shipping zones: sets of countries, each with its methods and rates (README "Shipping
zones"). While no zone exists, the plugins' ``oms_shipping_methods`` offers apply."""
