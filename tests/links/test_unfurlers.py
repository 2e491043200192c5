"""Which requests see the preview page instead of creating a session."""

from __future__ import annotations

import pytest

from till.links.unfurlers import is_unfurler, wants_preview_only

from .support import BROWSER_AGENT


@pytest.mark.parametrize(
    "agent",
    [
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0 A",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
        "Iframely/1.3.1 (+https://iframely.com/docs/about)",
        "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)",
        "redditbot/1.0",
        "Mozilla/5.0 (Macintosh) AppleWebKit (KHTML, like Gecko) Applebot/0.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)",
    ],
)
def test_known_unfurlers_are_recognised(agent: str) -> None:
    assert is_unfurler(agent)


@pytest.mark.parametrize(
    "agent",
    [
        BROWSER_AGENT,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) [FBAN/FBIOS;FBAV/1]",
        "Mozilla/5.0 (Linux; Android 14) Instagram 300.0",
        None,
        "",
    ],
)
def test_browsers_and_in_app_browsers_are_buyers(agent: str | None) -> None:
    assert not is_unfurler(agent)


def test_head_and_prefetch_want_the_preview_only() -> None:
    assert wants_preview_only("HEAD", {"user-agent": BROWSER_AGENT})
    assert wants_preview_only("GET", {"sec-purpose": "prefetch;prerender"})
    assert wants_preview_only("GET", {"purpose": "prefetch"})
    assert not wants_preview_only("GET", {"user-agent": BROWSER_AGENT})
