"""Who is fetching a link only to show a preview of it.

Chat apps and social networks fetch a pasted URL to draw a card with its
title and image. If those fetches created checkout sessions, every paste
would leave an abandoned session behind, so they get a small page with Open
Graph tags instead. Pure: looks at request headers only.

The list is matched as lower-case substrings of the ``User-Agent`` header
and is repeated, with the service behind each entry, in ``docs/links.md``.
Only crawler names go on it: an app's own in-app browser (Pinterest,
Snapchat, desktop chat clients) names the app too, and a buyer reading a
link there must reach the checkout.
"""

from __future__ import annotations

from collections.abc import Mapping

UNFURLER_AGENTS: tuple[str, ...] = (
    "slackbot",  # Slack (Slackbot-LinkExpanding and Slackbot)
    "slack-imgproxy",
    "facebookexternalhit",  # Facebook, Messenger, Instagram, iMessage
    "facebookcatalog",
    "facebot",
    "meta-externalagent",
    "twitterbot",  # X / Twitter, iMessage
    "linkedinbot",
    "discordbot",
    "telegrambot",
    "whatsapp",
    "skypeuripreview",  # Skype and Microsoft Teams
    "microsoftpreview",
    "iframely",
    "embedly",
    "redditbot",
    "applebot",
    "googlebot",
    "google-inspectiontool",
    "googleother",
    "bingbot",
    "bingpreview",
    "duckduckbot",
    "yandexbot",
    "pinterestbot",
    "vkshare",
    "mastodon",
    "bitlybot",
    "kakaotalk-scrap",
    "line-poker",  # LINE
    "mattermost-bot",
    "discourse forum onebox",
    "snap url preview",
    "quora link preview",
)

# Browsers announce speculative loads (link prefetch, prerender) with one of
# these; a page loaded that way may never be shown, so it must not create a
# session either.
_PREFETCH_HEADERS = (("sec-purpose", "prefetch"), ("purpose", "prefetch"))


def is_unfurler(user_agent: str | None) -> bool:
    """Whether the user agent is a known link-preview fetcher."""
    agent = (user_agent or "").lower()
    return any(name in agent for name in UNFURLER_AGENTS)


def wants_preview_only(method: str, headers: Mapping[str, str]) -> bool:
    """Whether a visit should see the preview page and create no session.

    HEAD asks for headers only; unfurlers and speculative loads fetch
    without a buyer behind them.
    """
    if method.upper() == "HEAD" or is_unfurler(headers.get("user-agent")):
        return True
    return any(
        word in headers.get(name, "").lower() for name, word in _PREFETCH_HEADERS
    )
