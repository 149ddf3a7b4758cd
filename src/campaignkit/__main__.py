"""``python -m campaignkit``."""

from campaignkit.cli import main

main()
