"""The plugin's own message catalog (``locale/<language>/LC_MESSAGES/campaignkit_media.po``).

``_()`` translates into the language campaignkit speaks when it is called: the campaign's,
when a hand-in is probed, so that the reasons a unit's photo or video is refused are written
in it. Call it where a message is made, never at import time.
"""

from __future__ import annotations

from pathlib import Path

from campaignkit import translator

__all__ = ["_"]

_ = translator("campaignkit_media", Path(__file__).parent / "locale")
