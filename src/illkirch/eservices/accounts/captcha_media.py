"""Serving a challenge's image and audio: what one client may ask for.

The rules of ``@@captcha-image``, ``@@captcha-audio`` and
``GET /@registration/captcha`` (issue 13, items 8 and 9):

* **Per client address** (``limits.client_address``: ``X-Forwarded-For``
  only from the proxies trusted in zope.conf), within ``WINDOW`` seconds:
  ``IMAGES_PER_ADDRESS`` images, ``AUDIO_PER_ADDRESS`` new audio renderings
  and ``CHALLENGES_PER_ADDRESS`` challenges over REST; then ``RateLimited``
  with a French message (429). The counts are the portal's shared rate
  limits (``limits.RateLimit``, in the database: every instance sees them).
* **One audio rendering per challenge**: its random choices are seeded by
  the challenge (``captcha.audio_seed``), so every play of a challenge gives
  the same bytes; the rendering is kept in memory (``_RenderingCache``, at
  most ``CACHE_BYTES``) so that playing it again costs nothing.
* **At most ``PLAYS_PER_CHALLENGE`` plays** of a challenge's audio; then a
  new challenge is needed (reload the page), with a French message (429).
"""

from collections import OrderedDict
from illkirch.eservices import _
from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts.registration import captcha_secret as secret
from illkirch.eservices.limits import RateLimit
from illkirch.eservices.limits import RateLimited
from illkirch.eservices.limits import client_address

import threading


WINDOW = 15 * 60
IMAGES_PER_ADDRESS = 60
AUDIO_PER_ADDRESS = 20
CHALLENGES_PER_ADDRESS = 60
# Downloads of one challenge's audio: a browser opening the link asks twice
# (the page, then its player), so about 5 listenings.
PLAYS_PER_CHALLENGE = 10
CACHE_BYTES = 16 * 1024 * 1024

TOO_MANY = _(
    "error_captcha_too_many",
    default="Too many verification codes were asked for from your "
    "connection: try again in a quarter of an hour.",
)
PLAYED_ENOUGH = _(
    "error_captcha_played",
    default="This verification code has been played too many times: reload "
    "the page to get a new code.",
)


def _take(name, limit, key):
    if not RateLimit(name, limit, WINDOW).take(key):
        raise RateLimited(TOO_MANY)


def count_challenge(request):
    """Count a challenge asked for over REST; RateLimited over the limit."""
    _take("captcha-challenge", CHALLENGES_PER_ADDRESS, client_address(request))


def image_png(token, request):
    """The PNG of a genuine token; `CaptchaError` for a bad or expired
    token, `RateLimited` over the client address's limit."""
    answer = captcha.answer_for(secret(), token)
    _take("captcha-image", IMAGES_PER_ADDRESS, client_address(request))
    return captcha.image_png(answer)


def audio_wav(token, request):
    """The WAV of a genuine token: always the same bytes for one token.

    `CaptchaError` for a bad or expired token; `RateLimited` once the token
    was played ``PLAYS_PER_CHALLENGE`` times, or when a first play goes over
    the client address's limit of new renderings.
    """
    key = secret()
    answer = captcha.answer_for(key, token)
    seed = captcha.audio_seed(key, token)
    nonce = captcha.nonce_of(token)
    plays = RateLimit("captcha-plays", PLAYS_PER_CHALLENGE, captcha.TOKEN_TTL)
    if not plays.allows(nonce):
        raise RateLimited(PLAYED_ENOUGH)
    if not plays.recent(plays._key(nonce)):  # a new rendering
        _take("captcha-audio", AUDIO_PER_ADDRESS, client_address(request))
    plays.take(nonce)
    return _cache.get(seed, lambda: captcha.audio_wav(answer, seed))


class _RenderingCache:
    """Renderings by seed, the least recently used dropped beyond
    ``max_bytes`` (a dropped one is rendered again, identical)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, seed, render):
        with self.lock:
            if seed in self.items:
                self.items.move_to_end(seed)
                return self.items[seed]
        data = render()
        with self.lock:
            if seed not in self.items:
                self.items[seed] = data
                self.size += len(data)
            while self.size > self.max_bytes and self.items:
                _seed, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)
        return data


_cache = _RenderingCache(CACHE_BYTES)
