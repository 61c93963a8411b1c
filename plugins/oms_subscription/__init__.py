"""oms built-in plugin: subscription products."""
