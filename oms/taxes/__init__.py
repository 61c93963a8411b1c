"""Taxes: rates per country (and region) and tax class, and the tax of a cart.

``rates`` is what staff edit; ``compute`` taxes a priced cart (the built-in table, or a
tax service through the ``oms_calculate_taxes`` hook).
"""
