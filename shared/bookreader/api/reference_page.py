"""The API reference as one server-rendered HTML page, made from the OpenAPI document: every
operation with its parameters, body and answers, then every schema. No script and no outside
resources; the one style block is allowed by its hash, so the page works under a strict CSP."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from html import escape
from typing import Any

from bookreader.api.openapi import build_document

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;
color:#1d1d1f;background:#fff}
h1{margin-bottom:0}h2{border-bottom:2px solid #ddd;margin-top:2.5rem}
section.op{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.25rem 1rem 1rem}
h3 code{font-size:1.05em}.method{display:inline-block;min-width:4.5em;font-weight:700}
.get{color:#0b6e2f}.post{color:#0b4f9c}.put,.patch{color:#8a5300}.delete{color:#a3161a}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7}code{font-family:ui-monospace,monospace;font-size:.92em}
.auth{font-size:.85em;padding:.1rem .4rem;border-radius:4px;background:#eef;margin-left:.5rem}
.public{background:#efe}nav ul{columns:2}
"""
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; base-uri 'none'; form-action 'none';"
    " frame-ancestors 'none'"
)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _prose(text: str) -> str:
    """Escaped text whose `backticked` spans become <code>."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text))


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _schema_link(name: str) -> str:
    return f'<a href="#schema-{escape(name)}"><code>{escape(name)}</code></a>'


def type_of(schema: dict[str, Any]) -> str:
    """A JSON Schema as a short readable type, in HTML (`BookSummary[]`, `"a" | "b"`, …)."""
    if "$ref" in schema:
        return _schema_link(_ref_name(schema["$ref"]))
    if "const" in schema:
        return f"<code>{escape(json.dumps(schema['const'], ensure_ascii=False))}</code>"
    if "enum" in schema:
        return " | ".join(
            f"<code>{escape(json.dumps(value, ensure_ascii=False))}</code>"
            for value in schema["enum"]
        )
    for combiner in ("anyOf", "oneOf", "allOf"):
        if combiner in schema:
            return " | ".join(type_of(branch) for branch in schema[combiner])
    kind = schema.get("type", "any")
    if kind == "array":
        items = schema.get("prefixItems")
        if items:
            return "[" + ", ".join(type_of(item) for item in items) + "]"
        return type_of(schema.get("items", {})) + "[]"
    if kind == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        if isinstance(extra, dict):
            return f"object of {type_of(extra)}"
    text = escape(str(kind))
    if "format" in schema:
        text += f" ({escape(schema['format'])})"
    return text


def _limits(schema: dict[str, Any]) -> str:
    words = {
        "minimum": "≥",
        "maximum": "≤",
        "exclusiveMinimum": ">",
        "exclusiveMaximum": "<",
        "minLength": "length ≥",
        "maxLength": "length ≤",
        "pattern": "matches",
    }
    parts = [f"{word} {schema[key]}" for key, word in words.items() if key in schema]
    for branch in schema.get("anyOf", []):
        parts += [f"{word} {branch[key]}" for key, word in words.items() if key in branch]
    if "default" in schema:
        parts.append(f"default {json.dumps(schema['default'], ensure_ascii=False)}")
    return escape(", ".join(parts))


def _properties_table(schema: dict[str, Any]) -> str:
    properties = schema.get("properties", {})
    if not properties:
        return f"<p>{type_of(schema)}</p>"
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code>{'' if name in required else '?'}</td>"
        f"<td>{type_of(field)}</td><td>{_limits(field)}</td>"
        f"<td>{_prose(field.get('description', ''))}</td></tr>"
        for name, field in properties.items()
    )
    return (
        f"<table><tr><th>Field</th><th>Type</th><th>Limits</th><th>Meaning</th></tr>{rows}</table>"
    )


def _operation(path: str, method: str, operation: dict[str, Any]) -> str:
    public = not operation.get("security")
    auth = (
        '<span class="auth public">public</span>'
        if public
        else '<span class="auth">bearer token</span>'
    )
    parts = [
        f'<section class="op" id="op-{escape(operation["operationId"])}">',
        f'<h3><span class="method {method}">{method.upper()}</span> <code>{escape(path)}</code>'
        f"{auth}</h3>",
        f"<p>{_prose(operation.get('summary', ''))}</p>",
    ]
    if operation.get("description"):
        parts.append(f"<p>{_prose(operation['description'])}</p>")
    parameters = operation.get("parameters", [])
    if parameters:
        rows = "".join(
            f"<tr><td><code>{escape(item['name'])}</code>{'' if item['required'] else '?'}</td>"
            f"<td>{escape(item['in'])}</td><td>{type_of(item['schema'])}</td>"
            f"<td>{_limits(item['schema'])}</td>"
            f"<td>{_prose(item.get('description', ''))}</td></tr>"
            for item in parameters
        )
        parts.append(
            "<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Limits</th>"
            f"<th>Meaning</th></tr>{rows}</table>"
        )
    body = operation.get("requestBody")
    if body:
        for media_type, content in body["content"].items():
            optional = "" if body.get("required") else " (optional)"
            parts.append(
                f"<p>Body{optional}: <code>{escape(media_type)}</code> "
                f"{type_of(content['schema'])}</p>"
            )
    rows = ""
    for status, response in operation["responses"].items():
        shapes = ", ".join(
            f"<code>{escape(media_type)}</code> {type_of(content.get('schema', {}))}"
            for media_type, content in response.get("content", {}).items()
        )
        rows += (
            f"<tr><td>{escape(status)}</td><td>{shapes or '—'}</td>"
            f"<td>{_prose(response.get('description', ''))}</td></tr>"
        )
    parts.append(
        f"<table><tr><th>Status</th><th>Body</th><th>Meaning</th></tr>{rows}</table></section>"
    )
    return "".join(parts)


@functools.cache
def render_reference_page() -> str:
    document = build_document()
    info = document["info"]
    by_tag: dict[str, list[str]] = {tag["name"]: [] for tag in document["tags"]}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            by_tag.setdefault(operation["tags"][0], []).append(_operation(path, method, operation))
    tags = {tag["name"]: tag.get("description", "") for tag in document["tags"]}
    server = document["servers"][0]["url"]
    sections = "".join(
        f'<h2 id="tag-{escape(tag)}">{escape(tag)}</h2><p>{escape(tags.get(tag, ""))}</p>'
        + "".join(operations)
        for tag, operations in by_tag.items()
        if operations
    )
    schemas = "".join(
        f'<section id="schema-{escape(name)}"><h3><code>{escape(name)}</code></h3>'
        f"<p>{_prose(schema.get('description', ''))}</p>{_properties_table(schema)}</section>"
        for name, schema in document["components"]["schemas"].items()
    )
    navigation = "".join(
        f'<li><a href="#tag-{escape(tag)}">{escape(tag)}</a></li>'
        for tag, operations in by_tag.items()
        if operations
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(info['title'])} API</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(info['title'])} API {escape(info['version'])}</h1>"
        f"<p>{_prose(info.get('description', ''))}</p>"
        f"<p>Paths are under <code>{escape(server)}</code>. Routes marked "
        "<em>bearer token</em> need <code>Authorization: Bearer &lt;access_token&gt;</code>. "
        '<a href="openapi.json">The OpenAPI document</a>.</p>'
        f"<nav><ul>{navigation}"
        '<li><a href="#schemas">Schemas</a></li></ul></nav>'
        f'{sections}<h2 id="schemas">Schemas</h2>{schemas}</body></html>'
    )
