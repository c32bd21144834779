"""`python -m mtaabot` runs the CLI."""

from mtaabot.cli import main

main()
