"""JSON-LD for search engines (schema.org): NewsArticle, GovernmentOrganization, BreadcrumbList.

Pure: views in, a string safe to place inside <script type="application/ld+json"> out. A data block
is never executed, so the strict CSP allows it; `<` is escaped so no text can close the element.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from opdgen.render.context import Crumb, PostView, SiteView, Urls


def organization(site: SiteView) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "GovernmentOrganization", "name": site.name, "url": site.abs_url}
    if site.email:
        org["email"] = site.email
    if site.phone:
        org["telephone"] = site.phone
    if site.address:
        org["address"] = site.address
    if site.logo_url:
        org["logo"] = Urls(site.abs_url).origin + site.logo_url
    if site.social:
        org["sameAs"] = [s.url for s in site.social]
    return org


def article(post: PostView, site: SiteView) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "mainEntityOfPage": post.abs_url,
        "url": post.abs_url,
        "publisher": organization(site),
        "author": {"@type": "Person", "name": post.author} if post.author else organization(site),
        "description": post.summary,
        "inLanguage": "id",
    }
    if post.date is not None:
        doc["datePublished"] = post.date.isoformat(timespec="seconds")
        doc["dateModified"] = (post.updated or post.date).isoformat(timespec="seconds")
    if post.social_image_url:
        doc["image"] = [post.social_image_url]
    if post.tags:
        doc["keywords"] = ", ".join(t.name for t in post.tags)
    return doc


def breadcrumbs(crumbs: Sequence[Crumb], origin: str) -> dict[str, Any]:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": c.label, "item": origin + c.url}
            for i, c in enumerate(crumbs, start=1)
        ],
    }


def structured_data(kind: str, site: SiteView, crumbs: Sequence[Crumb], variables: Mapping[str, Any],
                    lang: str) -> Markup:
    """The page's JSON-LD graph, or an empty string when there is nothing to say."""
    graph: list[dict[str, Any]] = []
    origin = Urls(site.abs_url).origin
    post = variables.get("post")
    if kind == "post" and isinstance(post, PostView):
        graph.append({**article(post, site), "inLanguage": lang})
    elif kind in ("home", "portal-home"):
        graph.append(organization(site))
    graph.extend(variables.get("json_ld", ()))  # a section's own items, e.g. an agenda Event
    if len(crumbs) > 1:
        graph.append(breadcrumbs(crumbs, origin))
    if not graph:
        return Markup("")
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(safe)  # JSON with every <, > and & escaped
