"""oms built-in plugin: physical products."""
