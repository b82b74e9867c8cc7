"""Request and webhook validation against the reference Telnyx spec subset.

Loads ../shared/reference/telnyx-openapi-subset.json once through the shared validator
module (../shared/tools/telnyx_validate.py) and keeps one compiled validator per
target (a command name such as "speak", "messages.send", or a webhook event type).
jsonschema's ref resolver keeps a scope stack, so one lock serialises validations;
each takes tens of microseconds."""
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("FD_SHARED", os.path.abspath(os.path.join(ROOT, "..", "shared")))
sys.path.insert(0, os.path.join(SHARED, "tools"))

import telnyx_validate as tv  # noqa: E402  (the shared validator)


class Schemas:
    def __init__(self, spec_path=None):
        self.spec = tv.Spec(tv.load_spec(spec_path or tv.DEFAULT_SPEC))
        self._validators = {}
        self._lock = threading.Lock()

    def has_command(self, name):
        """True if name is a request the spec knows (e.g. "speak", "messages.send")."""
        return name in self.spec.ops

    def command_method(self, name):
        return self.spec.ops[name][0].upper()

    def _validator(self, key, target, response=None):
        v = self._validators.get(key)
        if v is None:
            _, schema = self.spec.resolve(target, response=response)
            v = self.spec.validator_for(schema)
            self._validators[key] = v
        return v

    def check(self, target, instance, response=None):
        """Returns a list of error lines ([] when instance is valid). target is a
        command name (request body, or a response body when response is a code)
        or a webhook event type (the whole webhook body)."""
        with self._lock:
            v = self._validator((target, response), target, response)
            errs = list(v.iter_errors(instance))
        out = []
        for e in sorted(errs, key=lambda e: (list(map(str, e.absolute_path)), e.message)):
            line = "%s: %s" % (tv.fmt_path(e), e.message[:300])
            if line not in out:
                out.append(line)
        return out
