"""API Gateway's route matching: static segments beat `{param}`, which beats `{proxy+}`."""

from __future__ import annotations

from dataclasses import dataclass

from local.template import ApiRoute

_STATIC, _PARAM, _GREEDY = 0, 1, 2


@dataclass(frozen=True)
class Match:
    resource: str
    path_parameters: dict[str, str]
    routes: dict[str, ApiRoute]  # method (or ANY) → route, for this resource

    def route_for(self, method: str) -> ApiRoute | None:
        return self.routes.get(method) or self.routes.get("ANY")

    @property
    def allowed_methods(self) -> list[str]:
        return sorted(self.routes)


class RouteTable:
    def __init__(self, routes: list[ApiRoute]) -> None:
        self._resources: dict[str, dict[str, ApiRoute]] = {}
        for route in routes:
            self._resources.setdefault(route.path, {})[route.method] = route
        self._compiled = [(_segments(path), path) for path in self._resources]

    def match(self, path: str) -> Match | None:
        """The most specific resource matching `path`, or None (404)."""
        request = path.strip("/").split("/") if path.strip("/") else []
        best: tuple[tuple[int, ...], str, dict[str, str]] | None = None
        for segments, resource in self._compiled:
            params = _match(segments, request)
            if params is None:
                continue
            rank = tuple(kind for kind, _ in segments)
            if best is None or rank < best[0]:
                best = (rank, resource, params)
        if best is None:
            return None
        return Match(best[1], best[2], self._resources[best[1]])

    def resources(self) -> dict[str, dict[str, ApiRoute]]:
        return self._resources


def _segments(path: str) -> list[tuple[int, str]]:
    parts = path.strip("/").split("/") if path.strip("/") else []
    compiled = []
    for part in parts:
        if part.startswith("{") and part.endswith("+}"):
            compiled.append((_GREEDY, part[1:-2]))
        elif part.startswith("{") and part.endswith("}"):
            compiled.append((_PARAM, part[1:-1]))
        else:
            compiled.append((_STATIC, part))
    return compiled


def _match(segments: list[tuple[int, str]], request: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    for index, (kind, name) in enumerate(segments):
        if kind == _GREEDY:
            rest = request[index:]
            if not rest or any(not part for part in rest):
                return None
            params[name] = "/".join(rest)
            return params
        if index >= len(request) or not request[index]:
            return None  # a missing or empty path parameter never matches
        if kind == _STATIC and request[index] != name:
            return None
        if kind == _PARAM:
            params[name] = request[index]
    return params if len(segments) == len(request) else None
