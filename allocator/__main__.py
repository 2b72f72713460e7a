"""``python -m allocator`` runs the command line."""

from .cli import main

main()
