"""What the dashboard's browser tests share: a stack of the real binaries (api, worker
stack, simulator, frontdesk-web) on the run's Redis and PostgreSQL, businesses signed up
through the API with a number routed to them, and the runner of a journeys file."""
import json
import os
import subprocess

from harness import ROOT, env, random_number
from webapi import sign_up
from webhelp import Web
from workerhelp import Stack

E = env()


class Dashboard:
    """The stack the journeys of one file run against."""

    def __init__(self, journeys_file):
        self.stack = Stack(E)
        self.sim = self.stack.sim
        self.web = Web(E)
        self.stack.procs.append(self.web)
        self.pg = E.pg()
        self.journeys = os.path.join(ROOT, "tests", "browser", journeys_file)

    def rows(self, sql, *args):
        with self.pg.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()

    def sign_up(self, name, zone):
        """A business signed up through the API with a fresh number routed to it:
        (owner's client, the sign-up's answer, the number)."""
        client, signed = sign_up(self.web, name, timezone=zone)
        bid = signed["business_id"]
        # its number is routed here, so the worker must not buy it another one
        self.rows("DELETE FROM number_requests WHERE business_id = %s RETURNING id", bid)
        number = random_number()
        with self.pg.cursor() as cur:
            cur.execute("INSERT INTO phone_numbers (business_id, number) VALUES (%s, %s)", (bid, number))
        E.redis().hset("fd:numbers", number, bid)
        self.stack.tenants.append(bid)
        return client, signed, number

    def journey(self, name, **args):
        """Runs one journey; fails with what it said when it fails, else prints what it
        measured and returns its output."""
        args.setdefault("url", self.web.url)
        r = subprocess.run(["node", self.journeys, name, json.dumps(args)], cwd=ROOT, capture_output=True,
                           text=True, timeout=180)
        assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
        assert f"ok {name}" in r.stdout, r.stdout
        for line in r.stdout.splitlines():
            if line != f"ok {name}":
                print("    " + line, flush=True)
        return r.stdout


def display(number):
    """A number as the dashboard writes it: +1 555 010 0001."""
    return f"+1 {number[2:5]} {number[5:8]} {number[8:]}"
