"""Dump Reader: read, annotate and export folders of scraped news pages."""

__version__ = "0.1.0"
APP_ID = "io.github.dumpreader.DumpReader"
APP_NAME = "Dump Reader"
