"""frontdesk-web's PostgreSQL transactions carry a lock_timeout
(FRONTDESK_PG_LOCK_TIMEOUT_MS, 2 s by default, set by each transaction): a row of business A
locked by another session makes A's requests that need it answer 503 within a few
seconds, instead of holding a database thread until the statement timeout, while business
B is served as usual; A is served again once the lock is gone."""
import threading
import time

import psycopg2

from harness import env
from webhelp import Web, login, signup

E = env()
WEB = Web(E)


def _lock_business_of(email):
    """An open transaction holding business's row FOR UPDATE: a session row's foreign key
    must wait for it. Returns the connection; rollback() releases the lock."""
    conn = psycopg2.connect(E.database_url)
    conn.cursor().execute("SELECT b.id FROM businesses b JOIN users u ON u.business_id = b.id "
                          "WHERE lower(u.email) = lower(%s) FOR UPDATE OF b", (email,))
    return conn


def test_a_lock_on_one_business_answers_503_there_and_keeps_serving_the_others():
    a = signup(WEB)
    b = signup(WEB)
    locker = _lock_business_of(a["email"])
    answers = {}

    def login_a():
        start = time.monotonic()
        status, headers, body = login(WEB, a["email"], a["password"])
        answers["a"] = (status, time.monotonic() - start, body)

    try:
        t = threading.Thread(target=login_a)
        t.start()
        start = time.monotonic()
        status, _, body = login(WEB, b["email"], b["password"])
        b_took = time.monotonic() - start
        t.join(timeout=20)
        assert not t.is_alive(), "A's login waited past the lock timeout"
    finally:
        locker.rollback()
        locker.close()
    assert status == 200, (status, body)
    assert b_took < 2, b_took
    a_status, a_took, a_body = answers["a"]
    assert a_status == 503, (a_status, a_body)
    assert 1.5 < a_took < 6, a_took
    status, _, body = login(WEB, a["email"], a["password"])
    assert status == 200, (status, body)
