"""Telling people what happened: email (more channels come with the notifications work)."""
