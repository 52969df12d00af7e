"""``python -m parallax`` runs the command line."""

from parallax.cli import main

main()
