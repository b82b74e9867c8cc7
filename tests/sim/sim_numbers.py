"""The simulator's phone numbers (docs/telnyx.md §6): an inventory of available US numbers by
area code, the number search, number orders and their status, with the controls tests use
to make an area code run dry or an order stay pending for some polls.

The model, as Telnyx's guide describes it and no more: a number can be ordered only once,
and only while it is available (returned by searches and not yet sold); ordering a number
that is not gets 422 with code "sim_number_unavailable" (the simulator's own: what Telnyx
answers is unconfirmed). Orders start "pending" and turn "success" (or "failure", when told)
after the configured number of status polls. Every order is kept with its
customer_reference, so tests can count orders per request."""
import random
import threading
import time
import uuid

from sim_webhook import iso_now

DEFAULT_AREA_CODES = ("312", "415", "646", "720", "206")
STOCK_PER_AREA = 5          # numbers an area code offers when not told otherwise
FEATURES = ("voice", "sms", "mms", "fax")


def error_body(code, title, detail=None):
    e = {"code": code, "title": title}
    if detail:
        e["detail"] = detail
    return {"errors": [e]}


class Numbers:
    """Inventory and orders. Thread-safe: HTTP threads call it at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.available = {}         # area code -> [numbers], in the order searches list them
            self.fixed = set()          # area codes told how many they have: no restocking
            self.issued = set()         # every number ever made up, so none repeats
            self.orders = {}            # id -> order record
            self.order_seq = []         # ids in creation order
            self.pending_polls = 0
            self.result = "success"

    # -- control -------------------------------------------------------------------
    def set_stock(self, spec):
        area = spec.get("area_code")
        count = spec.get("available")
        if not (isinstance(area, str) and len(area) == 3 and area.isdigit() and area[0] in "23456789"):
            raise ValueError("\"area_code\" must be three digits, the first 2-9")
        if not isinstance(count, int) or count < 0 or count > 1000:
            raise ValueError("\"available\" must be a whole number from 0 to 1000")
        with self.lock:
            have = self.available.setdefault(area, [])
            del have[count:]
            while len(have) < count:
                have.append(self._new_number(area))
            self.fixed.add(area)
            return {"area_code": area, "available": list(have)}

    def configure_orders(self, spec):
        polls = spec.get("pending_polls", 0)
        result = spec.get("result", "success")
        if not isinstance(polls, int) or polls < 0:
            raise ValueError("\"pending_polls\" must be a whole number >= 0")
        if result not in ("success", "failure"):
            raise ValueError("\"result\" must be \"success\" or \"failure\"")
        with self.lock:
            self.pending_polls, self.result = polls, result
            return {"pending_polls": polls, "result": result}

    def report(self):
        with self.lock:
            orders = [dict(self.orders[i], phone_numbers=list(self.orders[i]["phone_numbers"]))
                      for i in self.order_seq]
        by_reference = {}
        for o in orders:
            ref = o.get("customer_reference")
            by_reference[ref] = by_reference.get(ref, 0) + 1
        return {"orders": orders, "by_reference": by_reference}

    # -- the API ---------------------------------------------------------------------
    def search(self, filters):
        """GET /v2/available_phone_numbers with its filter object (already validated)."""
        limit = filters.get("limit", 10)
        wanted = set(filters.get("features") or ())
        ok = (filters.get("country_code", "US") == "US"
              and filters.get("phone_number_type", "local") == "local"
              and wanted <= set(FEATURES))
        area = filters.get("national_destination_code")
        with self.lock:
            found = []
            for a in ([area] if area else DEFAULT_AREA_CODES):
                if ok:
                    found += self._stock(a, limit)
        found = found[:max(0, limit)]
        data = [self._available_record(n) for n in found]
        return 200, {"data": data, "meta": {"total_results": len(data), "best_effort_results": 0}}

    def order(self, body, at):
        """POST /v2/number_orders with its body (already validated)."""
        numbers = [p["phone_number"] for p in body.get("phone_numbers") or []]
        if not numbers:
            return 422, error_body("10004", "Missing required parameter",
                                   "phone_numbers must name at least one number.")
        with self.lock:
            gone = [n for n in numbers if not self._is_available(n)]
            if gone:
                return 422, error_body("sim_number_unavailable", "Number not available",
                                       "%s cannot be ordered: already ordered, or not from a "
                                       "search." % ", ".join(gone))
            for n in numbers:
                self.available[n[2:5]].remove(n)
            oid = str(uuid.uuid4())
            rec = {"id": oid, "phone_numbers": numbers, "status": "pending", "polls": 0,
                   "pending_polls": self.pending_polls, "result": self.result,
                   "customer_reference": body.get("customer_reference"),
                   "connection_id": body.get("connection_id"),
                   "messaging_profile_id": body.get("messaging_profile_id"),
                   "created_at": at, "updated_at": at}
            self.orders[oid] = rec
            self.order_seq.append(oid)
            return 200, {"data": self._order_record(rec)}

    def order_status(self, order_id):
        """GET /v2/number_orders/{id}: pending for the configured polls, then the result."""
        with self.lock:
            rec = self.orders.get(order_id)
            if rec is None:
                return 404, error_body("10005", "Resource not found",
                                       "No number order with id %r." % order_id)
            rec["polls"] += 1
            if rec["status"] == "pending" and rec["polls"] > rec["pending_polls"]:
                rec["status"] = rec["result"]
                rec["updated_at"] = time.time()
            return 200, {"data": self._order_record(rec)}

    # -- inside the lock -----------------------------------------------------------------
    def _new_number(self, area):
        while True:
            exchange = random.randint(200, 999)
            if exchange == 555:     # the tests' own numbers are +1NNN555XXXX
                continue
            n = "+1%s%03d%04d" % (area, exchange, random.randint(0, 9999))
            if n not in self.issued:
                self.issued.add(n)
                return n

    def _stock(self, area, limit):
        have = self.available.setdefault(area, [])
        if area not in self.fixed:
            while len(have) < min(limit, STOCK_PER_AREA):
                have.append(self._new_number(area))
        return list(have[:limit])

    def _is_available(self, number):
        return number in self.available.get(number[2:5], ())

    def _available_record(self, number):
        return {
            "record_type": "available_phone_number", "phone_number": number,
            "vanity_format": "", "best_effort": False, "quickship": False, "reservable": True,
            "features": [{"name": f} for f in FEATURES],
            "region_information": [{"region_type": "country_code", "region_name": "US"},
                                   {"region_type": "rate_center", "region_name": "SIM " + number[2:5]}],
            "cost_information": {"upfront_cost": "1.00", "monthly_cost": "1.00", "currency": "USD"},
        }

    def _order_record(self, rec):
        status = rec["status"]
        data = {
            "id": rec["id"], "record_type": "number_order", "status": status,
            "phone_numbers_count": len(rec["phone_numbers"]), "requirements_met": True,
            "created_at": iso_now(rec["created_at"]), "updated_at": iso_now(rec["updated_at"]),
            "sub_number_orders_ids": [],
            "phone_numbers": [{
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, rec["id"] + n)),
                "record_type": "number_order_phone_number", "phone_number": n,
                "phone_number_type": "local", "country_code": "US", "status": status,
                "requirements_met": True, "regulatory_requirements": [],
            } for n in rec["phone_numbers"]],
        }
        for key in ("connection_id", "messaging_profile_id", "customer_reference"):
            if rec.get(key) is not None:
                data[key] = rec[key]
        return data
