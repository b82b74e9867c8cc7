#!/usr/bin/python3
"""Checks JSON bodies against an OpenAPI 3.1 subset kept in this folder.

The Telnyx simulator, the fixtures and the tests validate every request frontdesk sends
and every webhook it parses against the provider's own published schemas (the extracts
in this folder; README.md names their source). This is the project's own checker: it
needs only the standard library and python3-jsonschema.

  openapi_subset.py [--spec FILE] TARGET FILE       exit 0 valid, 1 invalid, 2 usage
  openapi_subset.py --response CODE TARGET FILE     a response body instead of a request
  openapi_subset.py --query QUERY TARGET            a request's query string instead

TARGET is an operation's short name ("speak", "transfer", "messages.send", "dial",
"number_orders.create"), its operationId, "METHOD /path", a webhook event type
("call.hangup": the whole {"data": ..., "meta": ...} body), or "schema:NAME".

Two OpenAPI rules that plain JSON Schema does not know are applied: a oneOf with a
discriminator means "the alternative the discriminator names" (several loose
alternatives would otherwise all match and fail oneOf), and "example", "x-*" and
"discriminator" are annotations. "format" is not checked.

A query string is read as the operation's query parameters say: deepObject ones as
name[key][sub]=value, an array as repeated name[key][]=value (the encoding of Telnyx's
number search guide; the spec leaves arrays of deepObject open), values converted to the
schema's integer, number or boolean. Stricter than the spec on purpose: a parameter, or a
key of an object parameter, that the spec does not name is an error, so a misspelt filter
is caught instead of silently ignored."""
import argparse
import copy
import json
import os
import re
import sys
import urllib.parse

from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))
TELNYX_SPEC = os.path.join(HERE, "telnyx-openapi-subset.json")
HTTP_METHODS = ("get", "put", "post", "patch", "delete")

# Short names for the operations whose path does not end in a command word.
OPERATION_NAMES = {
    ("post", "/calls"): "dial",
    ("get", "/calls/{call_control_id}"): "call_status",
    ("post", "/messages"): "messages.send",
    ("get", "/available_phone_numbers"): "available_phone_numbers",
    ("post", "/number_orders"): "number_orders.create",
    ("get", "/number_orders/{number_order_id}"): "number_orders.get",
    ("patch", "/phone_numbers/{id}"): "phone_numbers.update",
    ("patch", "/phone_numbers/{id}/voice"): "phone_numbers.voice.update",
    ("patch", "/phone_numbers/{id}/messaging"): "phone_numbers.messaging.update",
}


def operation_name(method, path):
    if "/actions/" in path:
        return path.rsplit("/", 1)[1]
    return OPERATION_NAMES.get((method, path), "%s %s" % (method.upper(), path))


def apply_discriminators(node):
    """oneOf + discriminator → anyOf plus "if the property is K then the mapped schema"."""
    if isinstance(node, list):
        for item in node:
            apply_discriminators(item)
        return
    if not isinstance(node, dict):
        return
    disc = node.get("discriminator")
    if isinstance(disc, dict) and ("oneOf" in node or "anyOf" in node):
        if "oneOf" in node:
            node["anyOf"] = node.pop("oneOf")
        prop, mapping = disc.get("propertyName"), disc.get("mapping") or {}
        if prop and mapping:
            node["allOf"] = list(node.get("allOf", [])) + [
                {"if": {"properties": {prop: {"const": key}}, "required": [prop]},
                 "then": {"$ref": ref}} for key, ref in sorted(mapping.items())]
    for value in node.values():
        apply_discriminators(value)


QUERY_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_query(query):
    """{name: value} from a query string; name[a][b]=v nests, name[a][]=v appends to a
    list. Raises ValueError on a key that is not of that shape or mixes the two."""
    out = {}
    for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=False):
        m = QUERY_KEY.match(key)
        if not m:
            raise ValueError("query key %r is not name[key]...[key]" % key)
        parts = [m.group(1)] + re.findall(r"\[([^\[\]]*)\]", m.group(2))
        node = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":
                raise ValueError("query key %r: [] only ends a key" % key)
            if last:
                node[part] = value
            elif i == len(parts) - 2 and parts[-1] == "":
                node.setdefault(part, [])
                if not isinstance(node[part], list):
                    raise ValueError("query key %r is both a value and a list" % key)
                node[part].append(value)
                break
            else:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    raise ValueError("query key %r is both a value and an object" % key)
    return out


def error_path(error):
    out = "$"
    for part in error.absolute_path:
        out += "[%d]" % part if isinstance(part, int) else ".%s" % part
    return out


class OpenApiSubset:
    """One spec document: its operations by name and its webhooks by event type."""

    def __init__(self, path=TELNYX_SPEC):
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)
        self.components = copy.deepcopy(self.doc.get("components", {}))
        apply_discriminators(self.components)
        self.operations = {}    # name -> (method, path, operation)
        self.aliases = {}       # lowercase alias -> name
        for path, item in self.doc.get("paths", {}).items():
            for method, op in item.items():
                if method not in HTTP_METHODS:
                    continue
                name = operation_name(method, path)
                self.operations[name] = (method, path, op)
                for alias in (name, op.get("operationId", ""), "%s %s" % (method, path)):
                    if alias:
                        self.aliases[alias.lower()] = name
        self.events = {}        # event_type -> envelope schema ref
        for item in self.doc.get("webhooks", {}).values():
            op = item.get("post") or next(iter(item.values()))
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            for event_type in self._event_types(ref):
                self.events[event_type] = ref
        self._validators = {}

    def _deref(self, node):
        for _ in range(20):
            if not (isinstance(node, dict) and "$ref" in node):
                break
            _, _, section, name = node["$ref"].split("/", 3)
            node = self.doc["components"][section][name]
        return node

    def _event_types(self, envelope_ref):
        envelope = self._deref({"$ref": envelope_ref})
        data = self._deref(envelope.get("properties", {}).get("data", {}))
        return list(data.get("properties", {}).get("event_type", {}).get("enum", []))

    def has_operation(self, target):
        return target.lower() in self.aliases

    def method_of(self, target):
        return self.operations[self.aliases[target.lower()]][0].upper()

    def schema_for(self, target, response=None, content_type="application/json"):
        """The schema a target's body must match; LookupError for an unknown target.
        response: a response's key ("200", "default") instead of the request body;
        content_type: the media type of the body (problems are application/problem+json)."""
        if target.startswith("schema:"):
            name = target.split(":", 1)[1]
            if name not in self.doc.get("components", {}).get("schemas", {}):
                raise LookupError("no schema named %r" % name)
            return {"$ref": "#/components/schemas/" + name}
        if target in self.events:
            return {"$ref": self.events[target]}
        name = self.aliases.get(target.lower())
        if name is None:
            raise LookupError("unknown operation or event type %r" % target)
        method, path, op = self.operations[name]
        if response is not None:
            resp = op.get("responses", {}).get(str(response))
            if resp is None:
                raise LookupError("%s %s has no response %s" % (method.upper(), path, response))
            schema = self._deref(resp).get("content", {}).get(content_type, {}).get("schema")
            if schema is None:
                raise LookupError("response %s of %s has no %s body" % (response, name, content_type))
            return schema
        body = op.get("requestBody")
        if body is None:
            raise LookupError("%s %s takes no request body" % (method.upper(), path))
        return self._deref(body)["content"]["application/json"]["schema"]

    def query_errors(self, target, query):
        """Errors of a query string against target's query parameters ([] when valid)."""
        return self.read_query(target, query)[1]

    def read_query(self, target, query):
        """(values, errors) of a query string against target's query parameters: values
        is {parameter: value} converted to the schema's types, errors [] when valid."""
        name = self.aliases.get(target.lower())
        if name is None:
            raise LookupError("unknown operation %r" % target)
        _, _, op = self.operations[name]
        params = {p["name"]: p for p in map(self._deref, op.get("parameters", []))
                  if p.get("in") == "query"}
        try:
            given = parse_query(query)
        except ValueError as err:
            return {}, ["$: %s" % err]
        lines, values = [], {}
        for pname, p in params.items():
            if p.get("required") and pname not in given:
                lines.append("$.%s: required" % pname)
        for pname, value in sorted(given.items()):
            p = params.get(pname)
            if p is None:
                lines.append("$.%s: not a query parameter of %s" % (pname, name))
                continue
            schema = self._resolve(p.get("schema", {}))
            value = values[pname] = self._coerce(schema, value, "$." + pname, lines)
            root = dict(schema)
            root["components"] = self.components
            for e in sorted(Draft202012Validator(root).iter_errors(value),
                            key=lambda e: list(map(str, e.absolute_path))):
                lines.append("$.%s%s: %s" % (pname, error_path(e)[1:], e.message[:300]))
        return values, lines

    def _resolve(self, schema):
        """schema with $refs followed, at its top and in its properties and items."""
        schema = self._deref(schema)
        if not isinstance(schema, dict):
            return schema
        out = dict(schema)
        if "properties" in out:
            out["properties"] = {k: self._resolve(v) for k, v in out["properties"].items()}
        if "items" in out:
            out["items"] = self._resolve(out["items"])
        return out

    def _coerce(self, schema, value, path, lines):
        """value (text, lists and dicts of text) converted to schema's types; keys the
        schema does not name are reported in lines."""
        kind = schema.get("type")
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for k in value:
                if props and k not in props:
                    lines.append("%s.%s: not a key the spec names" % (path, k))
            return {k: self._coerce(props.get(k, {}), v, "%s.%s" % (path, k), lines)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self._coerce(schema.get("items", {}), v, path, lines) for v in value]
        try:
            if kind == "integer":
                return int(value)
            if kind == "number":
                return float(value)
        except ValueError:
            return value
        if kind == "boolean" and value in ("true", "false"):
            return value == "true"
        return value

    def errors(self, target, instance, response=None, content_type="application/json"):
        """A sorted list of "path: message" lines; [] when instance is valid."""
        key = (target, response, content_type)
        validator = self._validators.get(key)
        if validator is None:
            root = dict(self.schema_for(target, response, content_type))
            root["components"] = self.components
            apply_discriminators(root)
            validator = self._validators[key] = Draft202012Validator(root)
        lines = []
        for e in sorted(validator.iter_errors(instance),
                        key=lambda e: (list(map(str, e.absolute_path)), e.message)):
            line = "%s: %s" % (error_path(e), e.message[:300])
            if line not in lines:   # anyOf plus the discriminator rule can say it twice
                lines.append(line)
        if (not lines and target in self.events and isinstance(instance, dict)
                and "data" not in instance):
            lines.append("$: a webhook body is {\"data\": {...}}")
        return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check a JSON body against an OpenAPI subset.")
    ap.add_argument("target")
    ap.add_argument("file", nargs="?", help="the JSON body; - for standard input")
    ap.add_argument("--spec", default=TELNYX_SPEC)
    ap.add_argument("--response", metavar="CODE", help="check a response body")
    ap.add_argument("--query", metavar="QUERY", help="check a query string instead of a body")
    args = ap.parse_args(argv)
    if (args.file is None) == (args.query is None):
        ap.error("give either FILE or --query QUERY")
    try:
        spec = OpenApiSubset(args.spec)
        if args.query is not None:
            lines = spec.query_errors(args.target, args.query)
        elif args.file == "-":
            lines = spec.errors(args.target, json.load(sys.stdin), args.response)
        else:
            with open(args.file, encoding="utf-8") as f:
                lines = spec.errors(args.target, json.load(f), args.response)
    except (OSError, ValueError, LookupError) as e:
        print("openapi_subset: %s" % e, file=sys.stderr)
        return 2
    if lines:
        print("INVALID %s: %d error(s)" % (args.target, len(lines)))
        for line in lines:
            print("  " + line)
        return 1
    print("OK %s" % args.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
