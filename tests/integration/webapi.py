"""A signed-in user of frontdesk-web for the data routes' tests (test_web_data.py): its
requests go through webhelp.Web.call, so every answer is checked against
web/openapi.json (openapi_check.py), plus paging through a whole list."""
import urllib.parse

from webhelp import add_user as add_user_of, login, signup


class Client:
    """One signed-in user (or none) of a Web."""

    def __init__(self, web, token=None):
        self.web = web
        self.token = token

    def request(self, method, path, body=None, query=None, raw_body=None):
        """(status, parsed JSON body or None). query: a dict."""
        if query:
            path += "?" + urllib.parse.urlencode(query)
        status, _, got = self.web.call(method, path, body, token=self.token, raw=raw_body,
                                       headers={"Content-Type": "application/json"} if raw_body else None)
        return status, got if isinstance(got, (dict, list)) else None

    def get(self, path, **query):
        return self.request("GET", path, query=query or None)

    def get_ok(self, path, **query):
        status, body = self.get(path, **query)
        assert status == 200, (path, query, status, body)
        return body

    def post(self, path, body=None):
        return self.request("POST", path, body=body)

    def put(self, path, body):
        return self.request("PUT", path, body=body)

    def all_pages(self, path, limit, **query):
        """Every item of a list, page by page, and the pages' sizes."""
        items, sizes, cursor = [], [], None
        while True:
            q = dict(query, limit=limit)
            if cursor:
                q["cursor"] = cursor
            page = self.get_ok(path, **q)
            items += page["items"]
            sizes.append(len(page["items"]))
            cursor = page["next_cursor"]
            if cursor is None:
                return items, sizes
            assert len(sizes) < 1000, "a list that never ends"


def sign_up(web, business_name, **fields):
    """A new business and its owner through POST /api/v1/signup: (owner's client, body)."""
    body = signup(web, business_name=business_name, **fields)
    return Client(web, body["token"]), body


def add_user(owner, role):
    """A user of the owner's business, signed in: its client."""
    _, email, password = add_user_of(owner.web, owner.token, role)
    status, _, body = login(owner.web, email, password)
    assert status == 200, (status, body)
    return Client(owner.web, body["token"])
