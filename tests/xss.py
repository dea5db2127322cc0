"""XSS vectors written for opdgen's tests, and a structural safety check for generated HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# (id, payload). Each would run script, load foreign content or hide spam if it got through.
VECTORS: list[tuple[str, str]] = [
    ("script", "<script>alert(1)</script>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-split", "<scr<script>ipt>alert(1)</script>"),
    ("script-nested", "<<script>script>alert(1)<</script>/script>"),
    ("script-upper", "<SCRIPT>alert(1)</SCRIPT>"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-quoted", '<img src="x" onerror="alert(1)">'),
    ("img-eval-src", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    ("img-js-src", "<IMG SRC=javascript:alert('XSS')>"),
    ("img-quote-break", '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">'),
    ("img-srcset-js", '<img srcset="javascript:alert(1) 1x" src="a.png" alt="a">'),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-slash-onload", "<svg/onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>'),
    ("svg-animate", '<svg><animate onbegin=alert(1) attributeName=x dur=1s>'),
    ("svg-use-data", '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>'),
    ("math-href", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    ("mxss-math-style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("mxss-noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("mxss-template", "<template><img src=x onerror=alert(1)></template>"),
    ("mxss-comment", "<!--><img src=x onerror=alert(1)>-->"),
    ("mxss-cdata", "<![CDATA[><img src=x onerror=alert(1)>]]>"),
    ("mxss-textarea", "<textarea><img title='</textarea><img src=x onerror=alert(1)>'></textarea>"),
    ("mxss-select", "<select><template><style><img src=x onerror=alert(1)></style></template></select>"),
    ("a-js", '<a href="javascript:alert(1)">x</a>'),
    ("a-js-case", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("a-js-space", '<a href=" javascript:alert(1)">x</a>'),
    ("a-js-tab", '<a href="java\tscript:alert(1)">x</a>'),
    ("a-js-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("a-js-entity-tab", '<a href="jav&Tab;ascript:alert(1)">x</a>'),
    ("a-js-entity-colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-js-decimal", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'),
    ("a-js-padded", '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>'),
    ("a-js-hex", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    ("a-js-control", '<a href="\x01javascript:alert(1)">x</a>'),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-data-html", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("a-onclick", '<a href="#" onclick="alert(1)">x</a>'),
    ("a-target", '<a href="https://ok.example/" target="_blank">x</a>'),
    ("div-onmouseover", '<div onmouseover="alert(1)">x</div>'),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("marquee", "<marquee onstart=alert(1)>x</marquee>"),
    ("body-onload", "<body onload=alert(1)>"),
    ("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("textarea-autofocus", "<textarea autofocus onfocus=alert(1)></textarea>"),
    ("form-action", '<form action="javascript:alert(1)"><button>x</button></form>'),
    ("button-formaction", '<form><button formaction="javascript:alert(1)">x</button></form>'),
    ("isindex", '<isindex action="javascript:alert(1)" type=image>'),
    ("video-poster", '<video poster="javascript:alert(1)"></video>'),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("object-data", '<object data="javascript:alert(1)"></object>'),
    ("embed-src", '<embed src="https://evil.example/x.swf">'),
    ("iframe-js", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-foreign", '<iframe src="https://judi.example/"></iframe>'),
    ("iframe-lookalike", '<iframe src="https://www.youtube-nocookie.com.evil.example/x"></iframe>'),
    ("base", '<base href="https://evil.example/">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://judi.example/">'),
    ("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("style-import", "<style>@import 'https://evil.example/x.css';</style>"),
    ("style-attr-js", '<div style="background:url(javascript:alert(1))">x</div>'),
    ("style-hide-spam", '<span style="display:none">slot gacor</span>'),
    ("hidden-spam", "<p hidden>situs judi</p>"),
    ("table-background", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    ("blockquote-cite", '<blockquote cite="javascript:alert(1)">x</blockquote>'),
    ("md-link-js", "[x](javascript:alert(1))"),
    ("md-link-js-upper", "[x](JAVASCRIPT:alert(1))"),
    ("md-link-entity", "[x](&#106;avascript:alert(1))"),
    ("md-image-js", "![x](javascript:alert(1))"),
    ("md-ref-js", "[x][r]\n\n[r]: javascript:alert(1)"),
    ("md-autolink-js", "<javascript:alert(1)>"),
    ("md-link-title-break", '[x](https://ok.example/ "a\\" onmouseover=\\"alert(1)")'),
    ("md-attr-list", "Teks\n{: onclick=\"alert(1)\" }"),
    ("template-jinja", "{{ ''.__class__.__mro__ }} {% for x in range(9999999) %}{% endfor %}"),
]

URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "xlink:href", "cite",
                  "background", "data", "ping", "manifest", "codebase"}
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "base", "meta", "link", "form",
                  "input", "button", "textarea", "select", "svg", "math", "template", "noscript",
                  "frame", "frameset", "applet", "isindex", "marquee", "audio", "video", "body"}
_CONTROL = re.compile(r"[\x00-\x20]+")


class SafetyCheck(HTMLParser):
    """Collects every way a parsed fragment could run script, load foreign frames or hide text."""

    def __init__(self, allowed_tags: set[str] = frozenset(), allowed_frames: tuple[str, ...] = ()) -> None:  # type: ignore[assignment]
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.allowed_frames = allowed_frames
        self.faults: list[str] = []
        self.in_head = False
        self.in_script = False
        self.page = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.faults.append("inline script")

    def _page_tag_is_fine(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """A whole page's own head: meta and link from the theme, same-origin scripts by src."""
        if tag == "button" and attrs.get("data-copy") is not None:
            return True  # the theme's copy-link button
        if tag == "form" and (attrs.get("action") or "").endswith("/cari/") \
                and (attrs.get("action") or "").startswith("/") and attrs.get("class") == "search-form":
            return True  # the theme's search form (/cari/), a same-origin GET
        if (tag == "input" and attrs.get("name") == "q" and attrs.get("class") == "search-input") or (
                tag == "button" and attrs.get("class") == "btn btn-brand search-button"):
            return True  # its box and button
        if tag in ("html", "head", "body", "svg"):  # the theme's own icons are inline SVG
            self.in_head = self.in_head or tag == "head"
            return True
        if tag == "script":
            if self.in_head and attrs.get("type") == "application/ld+json":
                return True  # a data block, never executed (its text is checked by the renderer)
            self.in_script = True
            return (attrs.get("src") or "").startswith("/")
        if self.in_head and tag == "meta":
            return (attrs.get("http-equiv") or "").lower() != "refresh"
        if self.in_head and tag == "link":
            return (attrs.get("href") or "").startswith(("/", "https://"))
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed_frame = tag == "iframe" and any(
            n == "src" and (v or "").startswith(self.allowed_frames) for n, v in attrs)
        page_tag = self.page and self._page_tag_is_fine(tag, dict(attrs))
        if not page_tag and not allowed_frame and tag in FORBIDDEN_TAGS and tag not in self.allowed_tags:
            self.faults.append(f"<{tag}>")
        for name, value in attrs:
            if name == "hidden" and self.page and tag == "button":
                continue  # the theme's copy-link button, shown by its script
            if name.startswith("on") or name in ("style", "hidden", "srcdoc", "target"):
                self.faults.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value:
                for part in value.split(","):
                    plain = _CONTROL.sub("", part).lower()
                    if plain.startswith(("javascript:", "vbscript:", "data:")):
                        self.faults.append(f"{tag}[{name}]={value[:40]}")

    handle_startendtag = handle_starttag


def faults(html: str, allowed_tags: set[str] = frozenset(), allowed_frames: tuple[str, ...] = ()) -> list[str]:  # type: ignore[assignment]
    check = SafetyCheck(allowed_tags, allowed_frames)
    check.page = html.lstrip().lower().startswith("<!doctype html")
    check.feed(html)
    check.close()
    return check.faults
