"""Posting the queue's decision form as the page does: with the queue it showed (its hidden fields)."""

import re

HIDDEN = re.compile(r'<input type="hidden" name="(tingkat|antrean)" value="([^"]*)"')


def shown_fields(client, url: str) -> dict[str, str]:
    """The hidden fields of the queue page at `url` as drawn now (the levels and the queue it shows)."""
    page = client.get(url).content.decode()
    return dict(HIDDEN.findall(page))


def semua(client, url: str, **data) -> dict:
    """The form data of *semua* sent from the page as it is now: keputusan layak unless given."""
    return {"keputusan": "layak", "semua": "on", **shown_fields(client, url), **data}
