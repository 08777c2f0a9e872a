"""Tagging: the authority file and finding the actors an article names."""
