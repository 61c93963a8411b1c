"""oms built-in plugin: consultation products."""
