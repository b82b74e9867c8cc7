"""Request, response and webhook validation for the simulator against the Telnyx schema extract
kept in tests/schemas/ (the project's own checker, tests/schemas/openapi_subset.py).
One compiled validator per target (a command such as "speak" or "messages.send", or a
webhook event type); jsonschema's ref resolver keeps a scope stack, so one lock
serialises validations; each takes tens of microseconds."""
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "schemas"))

from openapi_subset import TELNYX_SPEC, OpenApiSubset  # noqa: E402


class Schemas:
    def __init__(self, spec_path=None):
        self.spec = OpenApiSubset(spec_path or TELNYX_SPEC)
        self._lock = threading.Lock()

    def has_command(self, name):
        """True if name is a request the spec knows (e.g. "speak", "messages.send")."""
        return self.spec.has_operation(name)

    def command_method(self, name):
        return self.spec.method_of(name)

    def read_query(self, target, query):
        """(values, error lines) of a request's query string against target's query
        parameters; values converted to the schema's types."""
        with self._lock:
            return self.spec.read_query(target, query)

    def check(self, target, instance, response=None):
        """Returns a list of error lines ([] when instance is valid). target is a
        command name (request body, or a response body when response is a code)
        or a webhook event type (the whole webhook body)."""
        with self._lock:
            return self.spec.errors(target, instance, response)
