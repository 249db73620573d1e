#!/usr/bin/env python3
"""Generates Sources/BerthResources/Generated/*.swift from AWS's resource provider schemas.

The schemas come with the cfn-lint package (cfnlint/data/schemas): providers/us_east_1.py maps
each type name to a JSON Schema under resources/. Each resource type becomes a Swift struct
conforming to ResourceProperties, each object definition a nested struct, each property an
optional (or, when the schema requires it, non-optional) typed value. Read-only properties
(Arn, Id, ...) are left out: they are attributes, not inputs.

Run `make generate` after changing RESOURCE_TYPES or upgrading cfn-lint, and commit the result.
"""
import json
import os
import re
import sys

import cfnlint

RESOURCE_TYPES = [
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::Route",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::VPC",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::ECR::Repository",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::Events::Rule",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::Scheduler::Schedule",
    "AWS::ServiceDiscovery::HttpNamespace",
]

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do",
    "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while",
    "as", "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws", "true", "try",
}
# Nested type names that would shadow the model's own types or be illegal as member types.
RESERVED_TYPE_NAMES = {
    "Type", "Value", "ListValue", "JSONValue", "Intrinsic", "String", "Int", "Bool", "Double",
    "Protocol", "Self", "Resource", "Template", "Parameter", "Output",
}
PRIMITIVES = {"string": "Value<String>", "integer": "Value<Int>", "number": "Value<Double>", "boolean": "Value<Bool>"}

SCHEMA_DIR = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")


def lower_camel(name):
    upper = 0
    while upper < len(name) and name[upper].isupper():
        upper += 1
    if upper == 0:
        result = name
    elif upper == 1 or upper == len(name):
        result = name[:upper].lower() + name[upper:]
    else:
        result = name[: upper - 1].lower() + name[upper - 1 :]
    result = re.sub(r"[^A-Za-z0-9_]", "_", result)
    return f"`{result}`" if result in SWIFT_KEYWORDS else result


def type_name(name):
    name = re.sub(r"[^A-Za-z0-9]", "", name)
    name = name[0].upper() + name[1:]
    return name + "Properties" if name in RESERVED_TYPE_NAMES else name


def doc_line(schema):
    text = (schema.get("description") or "").strip().split("\n")[0]
    text = re.sub(r"\s+", " ", text)
    if len(text) > 160:
        cut = text[:160]
        text = cut[: cut.rfind(" ")] + " …" if " " in cut else cut
    values = schema.get("enum")
    if values and all(isinstance(v, (str, int)) for v in values):
        text = (text + " " if text else "") + "One of: " + ", ".join(str(v) for v in values) + "."
    return text


class StructSpec:
    def __init__(self, name, schema, path):
        self.name = name
        self.schema = schema
        self.path = path  # for error messages
        self.nested = []  # inline object properties become nested structs


class Generator:
    def __init__(self, type_name_full, schema):
        self.full_name = type_name_full
        self.schema = schema
        self.definitions = schema.get("definitions", {})
        self.definition_structs = {}  # definition name -> Swift struct name
        for name, definition in sorted(self.definitions.items()):
            if self.is_struct(definition):
                self.definition_structs[name] = type_name(name)
        self.visiting = []

    @staticmethod
    def is_struct(schema):
        return schema.get("type") == "object" and bool(schema.get("properties"))

    def swift_type(self, schema, owner, property_name):
        """The Swift type of a property's schema; inline objects are added to owner.nested."""
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            if name in self.definition_structs:
                return self.definition_structs[name]
            if name not in self.definitions:
                sys.exit(f"{self.full_name}: unresolved $ref {schema['$ref']}")
            if name in self.visiting:
                sys.exit(f"{self.full_name}: recursive definition {name}")
            self.visiting.append(name)
            result = self.swift_type(self.definitions[name], owner, property_name)
            self.visiting.pop()
            return result
        kind = schema.get("type")
        if isinstance(kind, list):
            return "JSONValue"
        if kind in PRIMITIVES:
            return PRIMITIVES[kind]
        if kind == "array":
            items = schema.get("items")
            if not items:
                return "JSONValue"
            return f"ListValue<{self.swift_type(items, owner, property_name)}>"
        if kind == "object":
            if schema.get("properties"):
                nested_name = type_name(property_name)
                if nested_name in self.definition_structs.values() or nested_name == owner.name:
                    nested_name += "Settings"
                spec = StructSpec(nested_name, schema, owner.path + "." + property_name)
                owner.nested.append(spec)
                return nested_name
            pattern = schema.get("patternProperties") or {}
            value_schemas = list(pattern.values())
            additional = schema.get("additionalProperties")
            if isinstance(additional, dict):
                value_schemas.append(additional)
            if value_schemas and all(v.get("type") == "string" for v in value_schemas):
                return "[String: Value<String>]"
            return "JSONValue"
        if "anyOf" in schema or "oneOf" in schema:
            return "JSONValue"
        return "JSONValue"

    def render_struct(self, spec, indent, is_root):
        pad = "    " * indent
        lines = []
        schema = spec.schema
        required = set(schema.get("required", []))
        read_only = set()
        if is_root:
            read_only = {
                p.split("/")[2] for p in schema.get("readOnlyProperties", []) if p.count("/") == 2
            }
        properties = [
            (name, prop) for name, prop in sorted(schema.get("properties", {}).items()) if name not in read_only
        ]
        fields = []
        for name, prop in properties:
            swift = self.swift_type(prop, spec, name)
            fields.append((name, lower_camel(name), swift, name in required, doc_line(prop)))

        doc = doc_line(schema) if not is_root else f"The properties of `{self.full_name}`."
        if doc:
            lines.append(f"{pad}/// {doc}")
        conformance = "ResourceProperties" if is_root else "TemplateValueConvertible"
        lines.append(f"{pad}public struct {spec.name}: {conformance} {{")
        inner = pad + "    "
        if is_root:
            lines.append(f'{inner}public static let resourceType = "{self.full_name}"')
            create_only = self.schema.get("createOnlyProperties", [])
            rendered = ", ".join(f'"{p}"' for p in create_only)
            lines.append(f"{inner}public static let createOnlyProperties: [String] = [{rendered}]")
            lines.append("")
        for json_name, swift_name, swift_type, is_required, field_doc in fields:
            if field_doc:
                lines.append(f"{inner}/// {field_doc}")
            optional = "" if is_required else "?"
            lines.append(f"{inner}public var {swift_name}: {swift_type}{optional}")
        if fields:
            lines.append("")
        params = []
        for _, swift_name, swift_type, is_required, _ in fields:
            label = swift_name.strip("`")
            params.append(f"{label}: {swift_type}" if is_required else f"{label}: {swift_type}? = nil")
        if params:
            lines.append(f"{inner}public init(")
            lines.append(f"{inner}    " + (",\n" + inner + "    ").join(params))
            lines.append(f"{inner}) {{")
            for _, swift_name, _, _, _ in fields:
                lines.append(f"{inner}    self.{swift_name} = {swift_name}")
            lines.append(f"{inner}}}")
        else:
            lines.append(f"{inner}public init() {{}}")
        lines.append("")
        lines.append(f"{inner}public var templateValue: JSONValue {{")
        if fields:
            lines.append(f"{inner}    .object(pairs: [")
            for json_name, swift_name, _, is_required, _ in fields:
                access = f"{swift_name}.templateValue" if is_required else f"{swift_name}?.templateValue"
                lines.append(f'{inner}        ("{json_name}", {access}),')
            lines.append(f"{inner}    ])")
        else:
            lines.append(f"{inner}    .object([])")
        lines.append(f"{inner}}}")
        for nested in spec.nested:
            lines.append("")
            lines.extend(self.render_struct(nested, indent + 1, False))
        lines.append(f"{pad}}}")
        return lines

    def render(self):
        service, resource = self.full_name.split("::")[1:]
        root = StructSpec(resource, self.schema, resource)
        lines = [
            "// Generated by scripts/generate-resources.py from AWS's resource provider schema",
            f"// for {self.full_name}. Do not edit: run `make generate`.",
            "",
            "import BerthTemplate",
            "",
            f"extension {service} {{",
        ]
        lines.extend(self.render_struct(root, 1, True))
        lines.append("}")
        definition_lines = []
        for name, struct_name in sorted(self.definition_structs.items(), key=lambda item: item[1]):
            spec = StructSpec(struct_name, self.definitions[name], resource + "#" + name)
            definition_lines.append("")
            definition_lines.extend(self.render_struct(spec, 1, False))
        if definition_lines:
            lines.append("")
            lines.append(f"extension {service}.{resource} {{")
            lines.extend(definition_lines[1:])
            lines.append("}")
        return "\n".join(lines) + "\n"


def load_schema(full_name, providers_source):
    match = re.search(r'"%s": "([0-9a-f]+)"' % re.escape(full_name), providers_source)
    if not match:
        sys.exit(f"{full_name}: not in cfn-lint's us-east-1 provider list")
    with open(os.path.join(SCHEMA_DIR, "resources", match.group(1) + ".json")) as handle:
        return json.load(handle)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "Sources/BerthResources/Generated"
    os.makedirs(out_dir, exist_ok=True)
    for stale in os.listdir(out_dir):
        if stale.endswith(".swift"):
            os.remove(os.path.join(out_dir, stale))
    with open(os.path.join(SCHEMA_DIR, "providers", "us_east_1.py")) as handle:
        providers_source = handle.read()
    services = sorted({name.split("::")[1] for name in RESOURCE_TYPES})
    catalog = []
    for full_name in RESOURCE_TYPES:
        schema = load_schema(full_name, providers_source)
        service, resource = full_name.split("::")[1:]
        with open(os.path.join(out_dir, f"{service}+{resource}.swift"), "w") as handle:
            handle.write(Generator(full_name, schema).render())
        catalog.append((full_name, schema.get("createOnlyProperties", [])))
    lines = [
        "// Generated by scripts/generate-resources.py. Do not edit: run `make generate`.",
        "",
        "import BerthTemplate",
        "",
    ]
    for service in services:
        lines.append(f"/// Resource types of the `AWS::{service}` namespace.")
        lines.append(f"public enum {service} {{}}")
        lines.append("")
    lines.append("/// What AWS's provider schemas say about the resource types Berth emits.")
    lines.append("public enum ResourceCatalog {")
    lines.append("    /// For each type name, the JSON pointers of the properties whose change replaces the resource.")
    lines.append("    public static let createOnlyProperties: [String: [String]] = [")
    for full_name, create_only in catalog:
        rendered = ", ".join(f'"{p}"' for p in create_only)
        lines.append(f'        "{full_name}": [{rendered}],')
    lines.append("    ]")
    lines.append("}")
    with open(os.path.join(out_dir, "ResourceCatalog.swift"), "w") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"generated {len(RESOURCE_TYPES)} resource types into {out_dir}")


if __name__ == "__main__":
    main()
