"""Media rules: the images of the content (lead image and the rest)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import patterns
from ..article import Article, Field
from ..examples import BODY, DATE, Fail, article, examples, html
from ..registry import rule
from ..values import Finding

_PLACEHOLDERS = ("data:", "about:blank")  # what a lazy-loading page puts in src meanwhile
# An address in an attribute's value, also JSON-escaped ('https:\/\/host\/a.jpg').
_ADDRESS = re.compile(r"(?:https?:)?(?:\\?/){2}[^\s\"',;]+")


def _images(article: Article) -> tuple[Field, ...]:
    images = article.role("images")
    return images.items if images is not None else ()


@rule("NC601", "empty-image-src", "error")
@examples(
    Fail(article(content=DATE + '<img src="" width="100%">' + BODY), [("NC601", "error", 5, 48)]),
    Fail(article(content=DATE + '<img width="100%">' + BODY), [("NC601", "error", 5, 48)]),
    passing=[article()],
    plant=html('<img src="">', needs="image"),
)
def empty_image_src(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An ``<img>`` has an empty or missing ``src``, or a lazy-loading placeholder.

    The image is lost: the feed had one, the writer dropped its address. Pages
    that load images lazily keep the real address in another attribute
    (``data-src``, ``data-original``, ``data-lazy-src``, ``srcset``, any
    ``data-*`` holding a URL) and put nothing or a placeholder (a ``data:``
    image) in ``src`` until a script swaps them; a scraper that does not run
    or mimic that script keeps the placeholder. The message then names the
    attribute and its address: the fix is in the scraper.
    """
    for image in _images(article):
        src = image.value
        placeholder = src is not None and src.strip().lower().startswith(_PLACEHOLDERS)
        if src is not None and src.strip() and not placeholder:
            continue
        lazy = _lazy_address(article, image)
        if lazy is not None:
            yield (
                image.span,
                (
                    f"expected an image address in src, found {_shown(src)}: a lazy-loaded "
                    f"image the scraper did not resolve (its address is in {lazy[0]}: "
                    f"{lazy[1][:60]!r}); fix the scraper to put it in src"
                ),
            )
        elif src is None:
            yield image.span, "expected an image with a src attribute, found none"
        elif not placeholder:
            yield image.span, "expected an image address in src, found it empty"


def _shown(src: str | None) -> str:
    if src is None:
        return "none"
    return f"a placeholder {src[:30]!r}" if src.strip() else "it empty"


def _lazy_address(article: Article, image: Field) -> tuple[str, str] | None:
    """The attribute and the address where a lazy-loading page keeps the
    real address of ``image``: ``srcset``, or a ``data-*`` holding a URL."""
    for element in article.html.iter("img") if article.html is not None else ():
        if article.element_span(element) != image.span:
            continue
        for name, value in element.attrib.items():
            if name in ("srcset", "data-srcset") and value.split():
                return name, value.split()[0].rstrip(",")
            hit = _ADDRESS.search(value) if name.startswith("data-") else None
            if hit:
                return name, hit.group().replace("\\/", "/")
    return None


@rule("NC602", "protocol-relative-src", "warning")
@examples(
    Fail(
        article(content=DATE + '<img src="//static.example/a.jpg">' + BODY),
        [("NC602", "warning", 5, 48)],
    ),
    passing=[article(content=DATE + '<img src="https://static.example/a.jpg">' + BODY)],
    plant=html('<img src="//static.example.com/a.jpg">', needs="image"),
)
def protocol_relative_src(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An image ``src`` is protocol-relative (``//host/path``).

    It works on the web but not in a file, an e-mail or a feed reader; real
    feeds produce it, so it is a warning.
    """
    for image in _images(article):
        if image.value and image.value.startswith("//"):
            yield (
                image.span,
                f"expected an absolute image URL, found protocol-relative {image.value[:60]!r}",
            )


@rule(
    "NC603",
    "empty-proxy-target",
    "error",
    option_schemas={"proxy": {"type": "string", "format": "regex"}},
    proxy=r"^(?:https?:)?//images\.weserv\.nl/?\?(?:[^#]*&)?url=",
)
@examples(
    Fail(
        article(content=DATE + '<img src="https://images.weserv.nl?url=">' + BODY),
        [("NC603", "error", 5, 48)],
    ),
    Fail(
        article(content=DATE + '<img src="https://images.weserv.nl/?url=&w=1">' + BODY),
        [("NC603", "error", 5, 48)],
    ),
    passing=[
        article(content=DATE + '<img src="https://images.weserv.nl/?url=api.dw.com/a.jpg">' + BODY)
    ],
    plant=html('<img src="https://images.weserv.nl?url=">', needs="image"),
)
def empty_proxy_target(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An image goes through an image proxy but the proxied ``url=`` is empty.

    Feed services route images through a proxy such as
    ``https://images.weserv.nl?url=HOST/PATH``; with an empty target the proxy
    returns an error image. ``proxy`` is a regular expression matching a
    proxied ``src`` up to the start of its target.

    Options: ``proxy`` (regular expression).
    """
    proxy = patterns.compile(options["proxy"])  # a schema's pattern: RE2, linear time
    for image in _images(article):
        hit = proxy.match(image.value) if "url=" in (image.value or "") else None
        if hit and not image.value[hit.end() :].split("&", 1)[0].strip():
            yield (
                image.span,
                f"expected a target after the proxy's url=, found {image.value[:60]!r}",
            )
