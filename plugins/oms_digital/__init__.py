"""oms built-in plugin: digital products."""
