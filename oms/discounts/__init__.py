"""Discount codes: staff create them, carts apply them, placement redeems them."""
