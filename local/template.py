"""template.yaml → the functions, routes, buckets and event sources the runtime serves.

Understands CloudFormation's short tags (`!Ref`, `!Sub`, `!GetAtt`, …) and resolves the
intrinsics a SAM template of ours uses, from parameter values given by the runtime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bookreader.errors import BookReaderError

PSEUDO_PARAMETERS = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "000000000000",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "bookreader",
    "AWS::StackId": "arn:aws:cloudformation:us-east-1:000000000000:stack/bookreader/local",
}
_NO_VALUE = object()


class _CloudFormationLoader(yaml.SafeLoader):
    pass


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_CloudFormationLoader.add_multi_constructor("!", _construct_tag)


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as file:
        return yaml.load(file, Loader=_CloudFormationLoader)


@dataclass(frozen=True)
class ApiRoute:
    path: str
    method: str  # upper case, or "ANY"
    function: str


@dataclass(frozen=True)
class S3Trigger:
    bucket: str
    events: tuple[str, ...]
    prefix: str
    suffix: str


@dataclass(frozen=True)
class ScheduleTrigger:
    """A `Schedule` event: EventBridge invokes the function every `interval_s`."""

    name: str  # the event's name in the template
    expression: str
    interval_s: int
    enabled: bool = True
    input: str | None = None  # the event sent instead of EventBridge's, as JSON text


_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int:
    """`rate(5 minutes)` → 300. cron() expressions are not run locally (yet): say so."""
    match = _RATE.match(expression.strip())
    if not match or int(match[1]) < 1:
        raise BookReaderError(
            "template_unsupported",
            f"schedule {expression!r}: the local runtime runs rate(N minutes|hours|days) only",
            500,
        )
    return int(match[1]) * _UNIT_SECONDS[match[2].rstrip("s")]


@dataclass
class FunctionSpec:
    name: str  # logical id
    handler: str
    code_uri: Path
    layer_paths: list[Path]
    environment: dict[str, str]
    timeout: int
    memory_size: int
    routes: list[ApiRoute] = field(default_factory=list)
    s3_triggers: list[S3Trigger] = field(default_factory=list)
    schedules: list[ScheduleTrigger] = field(default_factory=list)
    max_retry_attempts: int = 2  # the AWS default for asynchronous invocation
    on_failure: str | None = None
    public_routes: set[str] = field(default_factory=set)
    # "METHOD /path" → the app-password scope it needs (HTTP Basic instead of a bearer token).
    app_password_routes: dict[str, str] = field(default_factory=dict)


@dataclass
class CorsConfig:
    allow_origin: str
    allow_headers: str
    allow_methods: str | None
    max_age: str | None
    allow_credentials: bool


@dataclass
class Topology:
    functions: dict[str, FunctionSpec]
    buckets: dict[str, str]  # logical id → bucket name
    cors: CorsConfig | None
    binary_media_types: list[str]

    @property
    def routes(self) -> list[ApiRoute]:
        return [route for spec in self.functions.values() for route in spec.routes]


class Resolver:
    """Resolves intrinsic functions against parameter values and the template's resources."""

    def __init__(self, template: dict[str, Any], parameters: dict[str, str]) -> None:
        self.template = template
        self.resources: dict[str, Any] = template.get("Resources", {})
        self.values = dict(PSEUDO_PARAMETERS)
        for name, spec in (template.get("Parameters") or {}).items():
            if name in parameters:
                self.values[name] = str(parameters[name])
            elif "Default" in spec:
                self.values[name] = str(spec["Default"])
            else:
                raise BookReaderError(
                    "parameter_missing", f"template parameter {name} has no value", 500
                )
        unknown = set(parameters) - set(template.get("Parameters") or {})
        if unknown:
            raise BookReaderError(
                "parameter_unknown",
                f"parameters not declared in the template: {sorted(unknown)}",
                500,
            )
        self.conditions = template.get("Conditions") or {}

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in self.values:
            return self.values[name]
        resource = self.resources.get(name)
        if resource is None:
            raise BookReaderError("template_invalid", f"!Ref to unknown name {name}", 500)
        if resource["Type"] == "AWS::S3::Bucket":
            bucket_name = (resource.get("Properties") or {}).get("BucketName")
            return self.resolve(bucket_name) if bucket_name else name.lower()
        return name

    def get_att(self, name: str, attribute: str) -> str:
        region, account = self.values["AWS::Region"], self.values["AWS::AccountId"]
        kind = self.resources.get(name, {}).get("Type", "")
        if kind == "AWS::S3::Bucket":
            return f"arn:aws:s3:::{self.ref(name)}"
        if kind == "AWS::SQS::Queue" and attribute == "QueueName":
            return name
        service = kind.split("::")[1].lower() if "::" in kind else "local"
        return f"arn:aws:{service}:{region}:{account}:{name}"

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.conditions[name]))

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Condition":
                return self.condition(arg)
            if key.startswith("Fn::"):
                return self._function(key[4:], arg)
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not _NO_VALUE}

    def _function(self, name: str, arg: Any) -> Any:
        if name == "Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))
            return self._substitute(text, variables)
        if name == "GetAtt":
            return self.get_att(arg[0], arg[1])
        if name == "Join":
            return str(arg[0]).join(str(part) for part in self.resolve(arg[1]))
        if name == "Select":
            return self.resolve(arg[1])[int(self.resolve(arg[0]))]
        if name == "Split":
            return str(self.resolve(arg[1])).split(arg[0])
        if name == "Equals":
            left, right = self.resolve(arg)
            return str(left) == str(right)
        if name == "Not":
            return not self.resolve(arg[0])
        if name == "And":
            return all(self.resolve(item) for item in arg)
        if name == "Or":
            return any(self.resolve(item) for item in arg)
        if name == "If":
            return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
        if name == "FindInMap":
            mapping = self.template["Mappings"][self.resolve(arg[0])]
            return mapping[self.resolve(arg[1])][self.resolve(arg[2])]
        raise BookReaderError(
            "template_unsupported", f"intrinsic Fn::{name} is not supported locally", 500
        )

    def _substitute(self, text: str, variables: dict[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match[1]
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name:
                resource, attribute = name.split(".", 1)
                return self.get_att(resource, attribute)
            return str(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", replace, text)


def load_topology(path: Path, parameters: dict[str, str]) -> Topology:
    """Read `path` and return what the runtime needs to serve it."""
    template = load_yaml(path)
    if template.get("Transform") != "AWS::Serverless-2016-10-31":
        raise BookReaderError("template_invalid", f"{path} is not a SAM template", 500)
    resolver = Resolver(template, parameters)
    root = path.parent
    globals_function = resolver.resolve((template.get("Globals") or {}).get("Function") or {})
    globals_api = resolver.resolve((template.get("Globals") or {}).get("Api") or {})
    resources = template.get("Resources") or {}

    buckets = {
        name: resolver.ref(name)
        for name, res in resources.items()
        if res["Type"] == "AWS::S3::Bucket"
    }
    layers = {
        name: root / resolver.resolve(res["Properties"]["ContentUri"])
        for name, res in resources.items()
        if res["Type"] == "AWS::Serverless::LayerVersion"
    }
    api_properties: dict[str, Any] = dict(globals_api)
    for res in resources.values():
        if res["Type"] == "AWS::Serverless::Api":
            api_properties.update(resolver.resolve(res.get("Properties") or {}))

    functions = {}
    for name, res in resources.items():
        if res["Type"] == "AWS::Serverless::Function":
            functions[name] = _function_spec(
                name, res, resolver, globals_function, layers, buckets, root
            )
    binary_types = [item.replace("~1", "/") for item in api_properties.get("BinaryMediaTypes", [])]
    return Topology(functions, buckets, _cors(api_properties.get("Cors")), binary_types)


def _function_spec(
    name: str,
    resource: dict[str, Any],
    resolver: Resolver,
    globals_function: dict[str, Any],
    layers: dict[str, Path],
    buckets: dict[str, str],
    root: Path,
) -> FunctionSpec:
    properties = resolver.resolve(resource.get("Properties") or {})
    merged = {**globals_function, **properties}
    environment = {
        **(globals_function.get("Environment") or {}).get("Variables", {}),
        **(properties.get("Environment") or {}).get("Variables", {}),
    }
    layer_refs = [*globals_function.get("Layers", []), *properties.get("Layers", [])]
    invoke_config = merged.get("EventInvokeConfig") or {}
    on_failure = ((invoke_config.get("DestinationConfig") or {}).get("OnFailure") or {}).get(
        "Destination"
    )
    metadata = (resource.get("Metadata") or {}).get("BookReader") or {}
    handler, code_uri = _entry_point(resource, merged)
    spec = FunctionSpec(
        name=name,
        handler=handler,
        code_uri=root / code_uri,
        layer_paths=[layers[ref] for ref in layer_refs if ref in layers],
        environment={key: str(value) for key, value in environment.items()},
        timeout=int(merged.get("Timeout", 3)),
        memory_size=int(merged.get("MemorySize", 128)),
        max_retry_attempts=int(invoke_config.get("MaximumRetryAttempts", 2)),
        on_failure=on_failure,
        public_routes=set(metadata.get("PublicRoutes", [])),
        app_password_routes=_app_password_routes(metadata.get("AppPasswordRoutes", [])),
    )
    raw_events = (resource.get("Properties") or {}).get("Events") or {}
    for event_name, event in raw_events.items():
        props = event.get("Properties") or {}
        if event["Type"] == "Api":
            spec.routes.append(ApiRoute(props["Path"], props["Method"].upper(), name))
        elif event["Type"] == "Schedule":
            expression = str(resolver.resolve(props["Schedule"]))
            spec.schedules.append(
                ScheduleTrigger(
                    name=event_name,
                    expression=expression,
                    interval_s=rate_seconds(expression),
                    enabled=str(resolver.resolve(props.get("Enabled", True))).lower() != "false",
                    input=resolver.resolve(props["Input"]) if "Input" in props else None,
                )
            )
        elif event["Type"] == "S3":
            bucket_ref = props["Bucket"]
            if not (isinstance(bucket_ref, dict) and bucket_ref.get("Ref") in buckets):
                raise BookReaderError(
                    "template_invalid",
                    f"{name}.{event_name}: Bucket must be a !Ref to a bucket",
                    500,
                )
            rules = ((props.get("Filter") or {}).get("S3Key") or {}).get("Rules") or []
            values = {rule["Name"].lower(): resolver.resolve(rule["Value"]) for rule in rules}
            kinds = props["Events"] if isinstance(props["Events"], list) else [props["Events"]]
            spec.s3_triggers.append(
                S3Trigger(
                    bucket=buckets[bucket_ref["Ref"]],
                    events=tuple(kinds),
                    prefix=values.get("prefix", ""),
                    suffix=values.get("suffix", ""),
                )
            )
    return spec


def _app_password_routes(entries: list[str]) -> dict[str, str]:
    """`["GET /opds opds", …]` → {"GET /opds": "opds", …}."""
    routes: dict[str, str] = {}
    for entry in entries:
        route, _, scope = str(entry).rpartition(" ")
        if not route or not scope:
            raise BookReaderError(
                "template_invalid", f"AppPasswordRoutes entry {entry!r}: METHOD /path scope", 500
            )
        routes[route] = scope
    return routes


def _entry_point(resource: dict[str, Any], properties: dict[str, Any]) -> tuple[str, str]:
    """The handler and its code folder. A container-image function has neither property: its
    handler is the image's command and its code is the folder that holds its Dockerfile."""
    if properties.get("PackageType") == "Image":
        dockerfile = (resource.get("Metadata") or {}).get("Dockerfile", "")
        return properties["ImageConfig"]["Command"][0], str(Path(dockerfile).parent)
    return properties["Handler"], properties["CodeUri"]


def _unquote(value: str | None) -> str | None:
    """SAM's CORS values are quoted for API Gateway: "'*'" means *."""
    return value.strip("'") if isinstance(value, str) else value


def _cors(setting: Any) -> CorsConfig | None:
    if not setting:
        return None
    if isinstance(setting, str):
        setting = {"AllowOrigin": setting}
    return CorsConfig(
        allow_origin=_unquote(setting.get("AllowOrigin")) or "*",
        allow_headers=_unquote(setting.get("AllowHeaders")) or "Content-Type,Authorization",
        allow_methods=_unquote(setting.get("AllowMethods")),
        max_age=_unquote(str(setting["MaxAge"])) if "MaxAge" in setting else None,
        allow_credentials=bool(setting.get("AllowCredentials", False)),
    )
