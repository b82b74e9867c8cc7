#!/usr/bin/python3
"""Checks Stripe traffic against the OpenAPI extract beside this file.

Stripe's request bodies are form-encoded with bracket nesting (`metadata[business_id]=b`,
`line_items[0][price]=p`, `expand[]=x`); this decodes a body the way Stripe does into
dicts and lists, turns the text leaves into the integers, booleans and arrays the
operation's schema wants, and checks the result against the operation's requestBody
schema (additionalProperties false, required, types, maxLength, enums, the anyOf whose
other branch is "" to clear a field; an unknown nested parameter too, as
Stripe refuses it). Objects (an event, a customer, a subscription...)
are checked against the component schemas. The extract is OpenAPI 3.0: `nullable` is
turned into "or null" and `x-*`, `description` and `format` are annotations.

  stripe_schema.py request POST /v1/customers 'name=A&metadata[business_id]=b'
  stripe_schema.py request GET '/v1/customers/cus_1?expand[]=subscriptions'
  stripe_schema.py object event event.json          # exit 0 valid, 1 invalid, 2 usage
"""
import copy
import json
import os
import re
import sys
import threading
import urllib.parse

from jsonschema import Draft7Validator

HERE = os.path.dirname(os.path.abspath(__file__))
STRIPE_SPEC = os.path.join(HERE, "stripe-openapi-subset.json")
REF = "#/components/schemas/"
KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def to_json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: nullable becomes anyOf [..., null];
    annotations are dropped."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k.startswith("x-") or k in ("description", "format", "title"):
            continue
        if k == "properties":
            out[k] = {name: to_json_schema(s) for name, s in v.items()}
        else:
            out[k] = to_json_schema(v)
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def closed(node):
    """A request schema whose every object with named properties refuses others.
    Stripe's spec says additionalProperties false only at the top of a body, but its
    API refuses an unknown nested parameter too ("Received unknown parameter:
    line_items[0][bogus]"), so the checker does."""
    if isinstance(node, list):
        return [closed(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: closed(v) if k != "properties" else {n: closed(sv) for n, sv in v.items()}
           for k, v in node.items()}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def decode_form(text):
    """A form body or query string as nested dicts and lists of text, as Stripe reads
    it: a[b]=v nests, a[]=v appends, a[0][b]=v gives a dict keyed "0" (turned into a
    list by coerce when the schema wants one). ValueError when keys clash."""
    root = {}
    for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
        m = KEY.match(key)
        if not m:
            raise ValueError("malformed key %r" % key)
        parts = [m.group(1)] + re.findall(r"\[([^\[\]]*)\]", m.group(2))
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":
                if not isinstance(node, list):
                    raise ValueError("key %r: [] under something that is not a list" % key)
                if last:
                    node.append(value)
                else:
                    node.append({})
                    node = node[-1]
                continue
            if not isinstance(node, dict):
                raise ValueError("key %r: a list given keys" % key)
            if last:
                if part in node and not isinstance(node[part], str):
                    raise ValueError("key %r is both a value and a container" % key)
                node[part] = value
                continue
            child = [] if parts[i + 1] == "" else {}
            node.setdefault(part, child)
            if isinstance(node[part], str):
                raise ValueError("key %r is both a value and a container" % key)
            node = node[part]
    return root


class StripeSchema:
    """The extract, its operations and a validator per schema. Thread-safe."""

    def __init__(self, path=STRIPE_SPEC):
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)
        self.components = to_json_schema(self.doc["components"])
        self.schemas = self.components["schemas"]
        self.source = self.doc.get("_source", {})
        self.api_version = self.source.get("info.version") or self.doc["info"]["version"]
        self._validators = {}
        # a validator's ref resolver keeps a scope stack: one validation at a time
        self._lock = threading.RLock()

    # -- lookups ------------------------------------------------------------------
    def _deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.schemas[node["$ref"][len(REF):]]
        return node

    def operation(self, method, path):
        """(template, operation) for METHOD path, or (None, None)."""
        for tmpl, item in self.doc["paths"].items():
            rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(tmpl)) + "$"
            if re.match(rx, path) and method.lower() in item:
                return tmpl, item[method.lower()]
        return None, None

    def _validator(self, key, schema):
        with self._lock:
            v = self._validators.get(key)
            if v is None:
                root = copy.deepcopy(schema)
                root["components"] = self.components
                v = self._validators[key] = Draft7Validator(root)
            return v

    def _errors(self, key, schema, instance, prefix):
        with self._lock:
            found = list(self._validator(key, schema).iter_errors(instance))
        out = []
        for e in sorted(found, key=lambda e: list(map(str, e.absolute_path))):
            where = "".join("[%s]" % p for p in e.absolute_path) or "(root)"
            out.append("%s%s: %s" % (prefix, where, e.message[:300]))
        return out

    # -- coercion: form text into the schema's types --------------------------------
    def coerce(self, value, schema):
        schema = self._deref(schema)
        if not isinstance(schema, dict) or not schema:
            return value
        if "anyOf" in schema:
            for alt in schema["anyOf"]:
                cand = self.coerce(copy.deepcopy(value), alt)
                if self._fits(cand, alt):
                    return cand
            return value
        kind = schema.get("type")
        if kind == "array":
            if isinstance(value, dict) and value and all(k.isdigit() for k in value):
                idx = sorted(value, key=int)
                if [int(k) for k in idx] != list(range(len(idx))):
                    return value    # gaps: left a dict, so validation names the error
                value = [value[k] for k in idx]
            if isinstance(value, list):
                return [self.coerce(v, schema.get("items", {})) for v in value]
            return value
        if kind == "object" and isinstance(value, dict):
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            return {k: self.coerce(v, props.get(k, extra if isinstance(extra, dict) else {}))
                    for k, v in value.items()}
        if isinstance(value, str):
            if kind == "integer" and re.fullmatch(r"-?\d+", value):
                return int(value)
            if kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", value):
                return float(value)
            if kind == "boolean" and value in ("true", "false"):
                return value == "true"
        return value

    def _fits(self, instance, schema):
        root = {"components": self.components}
        root.update(schema if isinstance(schema, dict) else {})
        return Draft7Validator(root).is_valid(instance)

    # -- checks -------------------------------------------------------------------
    def check_request(self, method, path, query, body):
        """(params, errors): the decoded, typed parameters of a request (body for POST,
        query for GET) and what in it breaks the operation's schema ([] when valid)."""
        tmpl, op = self.operation(method, path)
        if op is None:
            return {}, ["%s %s: no such operation in the extract" % (method, path)]
        errors, params = [], {}
        qparams = [p for p in op.get("parameters", []) if p.get("in") == "query"]
        qschema = {"type": "object", "additionalProperties": False,
                   "properties": {p["name"]: to_json_schema(p["schema"]) for p in qparams},
                   "required": [p["name"] for p in qparams if p.get("required")]}
        try:
            qvalues = self.coerce(decode_form(query or ""), qschema)
        except ValueError as err:
            return {}, ["query: %s" % err]
        errors += self._errors(("query", method, tmpl), qschema, qvalues, "query")
        params.update(qvalues)
        form = op.get("requestBody", {}).get("content", {}).get("application/x-www-form-urlencoded")
        if form is None:
            if body:
                errors.append("body: %s %s takes no body" % (method, tmpl))
            return params, errors
        bschema = closed(to_json_schema(form["schema"]))
        try:
            bvalues = self.coerce(decode_form(body or ""), bschema)
        except ValueError as err:
            return params, errors + ["body: %s" % err]
        errors += self._errors(("body", method, tmpl), bschema, bvalues, "body")
        params.update(bvalues)
        return params, errors

    def response_schemas(self, method, path):
        """The component names of what a successful method path answers (one of them)."""
        _, op = self.operation(method, path)
        ok = (op or {}).get("responses", {}).get("200", {})
        ref = ok.get("content", {}).get("application/json", {}).get("schema", {})
        names = [r["$ref"][len(REF):] for r in ref.get("anyOf", [ref]) if "$ref" in r]
        return names

    def check_object(self, name, instance):
        """What in instance breaks the component schema name ([] when valid)."""
        if name not in self.schemas:
            raise LookupError("no schema %r in the extract" % name)
        return self._errors(("object", name), {"$ref": REF + name}, instance, name)

    def check_event(self, event):
        """The envelope, then data.object against its own schema when the extract has it."""
        errors = self.check_object("event", event)
        obj = (event.get("data") or {}).get("object") if isinstance(event, dict) else None
        kind = obj.get("object") if isinstance(obj, dict) else None
        if not errors and kind in self.schemas:
            errors += ["data.object " + e for e in self.check_object(kind, obj)]
        return errors

    def skeleton(self, name):
        """The smallest valid instance of component name: every required property with
        its first enum value, null when nullable, or an empty value of its type. The
        fake fills in what matters on top of it."""
        return self._skeleton(self.schemas[name], 0)

    def _skeleton(self, schema, depth):
        schema = self._deref(schema)
        if "anyOf" in schema:
            alts = [self._deref(a) for a in schema["anyOf"]]
            if any(a.get("type") == "null" for a in alts):
                return None
            return self._skeleton(alts[0], depth + 1)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object":
            props = schema.get("properties", {})
            return {k: self._skeleton(props.get(k, {}), depth + 1) for k in schema.get("required", [])}
        return {"array": [], "string": "", "integer": 0, "number": 0, "boolean": False}.get(kind)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2 or argv[0] not in ("request", "object"):
        print(__doc__, file=sys.stderr)
        return 2
    spec = StripeSchema()
    try:
        if argv[0] == "request":
            method, target = argv[1], argv[2]
            path, _, query = target.partition("?")
            _, errors = spec.check_request(method.upper(), path, query, argv[3] if len(argv) > 3 else "")
        else:
            with open(argv[2], encoding="utf-8") as f:
                instance = json.load(f)
            if argv[1] == "event":
                errors = spec.check_event(instance)
            else:
                errors = spec.check_object(argv[1], instance)
    except (OSError, ValueError, LookupError, IndexError) as err:
        print("stripe_schema: %s" % err, file=sys.stderr)
        return 2
    for line in errors:
        print(line)
    if not errors:
        print("OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
