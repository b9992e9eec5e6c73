#!/usr/bin/env python3
"""A toy parent portal's integration with the SSR service, and its ssrmock driver.

This is a complete, runnable example of the driver protocol in a language other than Go,
with the Python standard library only. The "portal" is deliberately small, but it follows
every rule the conformance suite checks:

  * the LEA's User Name and Secret Key go only into the body of POST /token, the token only
    into the Authorization header;
  * the token is reused until shortly before it expires, and renewed once when refused;
  * a rejected pair is not sent again until the LEA enters new credentials; a token request
    that fails (5xx, no answer) is "unavailable", not a rejection;
  * every page view lists the student's reports afresh and shows all of them (nothing is
    cached: not a listing, not an empty list, not a "not found"), and hands the parent's
    browser the links as the service gave them;
  * 404 student_not_found is "not_found", an empty listing "ok" with no report;
  * 429 and 503 answers are not retried before their Retry-After time, other 5xx answers at
    most twice, and every request (the token's too) has a timeout, so that a page view ends
    within about 3 seconds whatever the service does;
  * time is sandbox time: what the suite says through the "clock" operation, moved forward
    by the Date header of every answer. The wall clock is never consulted for expiry.

Run it under the suite, over stdin/stdout:

    ssrmock conform --driver-cmd "python3 docs/examples/python/portal_driver.py"

or over HTTP (then run the suite with --driver-url http://127.0.0.1:9000):

    python3 docs/examples/python/portal_driver.py --listen 127.0.0.1:9000

In your own driver, replace the Portal class's insides with calls into your product: the
settings page that stores an LEA's credentials (configure) and the score-report page a
parent opens (view).
"""

import argparse
import email.utils
import http.client
import http.server
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

NAME = "Bayview Parent Portal (Python example)"
VERSION = "1.0.0"

REQUEST_TIMEOUT = 1.5  # seconds of real time for one HTTP request
PAGE_BUDGET = 3.0  # seconds of real time for one page view, retries included
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def log(*args):
    """Logs go to stderr: stdout carries the protocol."""
    print("portal:", *args, file=sys.stderr, flush=True)


class Answer:
    """One complete answer of the service."""

    def __init__(self, status, headers, body):
        self.status = status
        self.body = body
        self.date = None
        self.retry_after = None
        self.code = ""
        if headers.get("Date"):
            try:
                self.date = email.utils.parsedate_to_datetime(headers["Date"])
            except (TypeError, ValueError):
                pass
        ra = headers.get("Retry-After")
        if ra and ra.strip().isdigit():
            self.retry_after = timedelta(seconds=int(ra))
        if status >= 400:
            try:
                self.code = json.loads(body)["error"]["code"]
            except (ValueError, KeyError, TypeError):
                pass


class Unanswered(Exception):
    """The service gave no complete answer: refused, dropped, timed out or cut short."""


class LEA:
    """What the portal keeps for one LEA."""

    def __init__(self, base_url, username, secret_key):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.secret_key = secret_key
        self.token = None
        self.token_expires = EPOCH
        self.rejected = ""  # the error code that rejected this pair, if any
        self.quiet_until = EPOCH  # no request before this sandbox time (Retry-After)


class Portal:
    """The toy portal: settings per LEA and the parent's score-report page."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.leas = {}
            self.now = EPOCH

    # Time ---------------------------------------------------------------------------------

    def set_clock(self, now):
        with self.lock:
            self.now = now

    def observe(self, answer):
        """The Date header is the service's (sandbox) time: our clock never runs behind it."""
        if answer.date is not None:
            with self.lock:
                if answer.date > self.now:
                    self.now = answer.date

    # Settings page ------------------------------------------------------------------------

    def configure(self, lea, base_url, username, secret_key, school=""):
        """An LEA administrator pastes new credentials: forget the old pair and its token, but
        not a running Retry-After wait.
        With a school, the pair is that school's own: it overrides the LEA's pair for the
        school's students, and is kept apart from it."""
        with self.lock:
            fresh = LEA(base_url, username, secret_key)
            old = self.leas.get((lea, school))
            if old is not None:
                # A Retry-After is the service's, not the pair's: it holds for the new pair too.
                fresh.quiet_until = old.quiet_until
            self.leas[(lea, school)] = fresh

    # Talking to the service ---------------------------------------------------------------

    def send(self, method, url, body=None, token=None, deadline=None):
        """One request; returns an Answer or raises Unanswered."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "Bearer " + token
        timeout = REQUEST_TIMEOUT
        if deadline is not None:
            timeout = max(0.05, min(timeout, deadline - time.monotonic()))
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                answer = Answer(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as e:
            try:
                payload = e.read()
            except (http.client.HTTPException, OSError) as err:
                raise Unanswered(str(err)) from None
            answer = Answer(e.code, e.headers, payload)
        except (urllib.error.URLError, http.client.HTTPException, OSError, socket.timeout) as err:
            raise Unanswered(str(getattr(err, "reason", err))) from None
        self.observe(answer)
        return answer

    def call(self, state, method, url, body=None, token=None, deadline=None):
        """A request with the portal's retry policy: 429 and 503 with Retry-After are not
        retried (we remember not to call before their time); other 5xx at most twice."""
        for attempt in range(3):
            answer = self.send(method, url, body, token, deadline)
            if answer.status == 429 or (answer.status == 503 and answer.retry_after is not None):
                if answer.retry_after is not None:
                    base = answer.date or self.now
                    with self.lock:
                        state.quiet_until = max(state.quiet_until, base + answer.retry_after)
                return answer
            if answer.status >= 500 and attempt < 2 and time.monotonic() + 0.2 < (deadline or float("inf")):
                time.sleep(0.1 * (attempt + 1))
                continue
            return answer
        return answer

    def token(self, state, deadline, force=False):
        """A token for the LEA's pair: the cached one while valid, else a new one.
        Returns (token, None) or (None, view to show)."""
        with self.lock:
            if not force and state.token and self.now < state.token_expires:
                return state.token, None
        answer = self.call(state, "POST", state.base_url + "/token",
                           body={"username": state.username, "secretKey": state.secret_key},
                           deadline=deadline)
        if answer.status == 200:
            reply = json.loads(answer.body)
            life = timedelta(seconds=int(reply["expires_in"]))
            start = answer.date or self.now
            with self.lock:
                state.token = reply["access_token"]
                state.token_expires = start + life - min(timedelta(minutes=1), life / 10)
            return state.token, None
        if answer.status == 401:
            with self.lock:
                state.rejected = answer.code or "invalid_credentials"
                state.token = None
            return None, rejected_view(state.rejected)
        return None, failure_view(answer)

    # The parent's page ---------------------------------------------------------------------

    def view(self, lea, ssid, school=""):
        """What a parent sees on the student's score-report page: through the pair of the
        student's school when the school has its own, the LEA's pair otherwise."""
        if not (len(ssid) == 10 and ssid.isdigit()):
            return {"outcome": "error", "reports": [], "message": "An SSID has 10 digits."}
        with self.lock:
            state = self.leas.get((lea, school)) if school else None
            if state is None:
                state = self.leas.get((lea, ""))
            now = self.now
        if state is None:
            return {"outcome": "auth_error", "reports": [],
                    "message": "No SSR credentials are set up for this LEA."}
        if state.rejected:
            return rejected_view(state.rejected)
        if now < state.quiet_until:
            return {"outcome": "unavailable", "reports": [],
                    "message": "The score report service asked us to wait. Please try again later."}
        deadline = time.monotonic() + PAGE_BUDGET
        try:
            return self.list_reports(state, ssid, deadline)
        except Unanswered as err:
            log("no answer from the service:", err)
            return {"outcome": "unavailable", "reports": [],
                    "message": "The score report service did not answer. Please try again later."}

    def list_reports(self, state, ssid, deadline):
        token, failed = self.token(state, deadline)
        if failed:
            return failed
        url = state.base_url + "/students/" + urllib.parse.quote(ssid) + "/reports"
        answer = self.call(state, "GET", url, token=token, deadline=deadline)
        if answer.status == 401:
            # The token expired or was superseded: one new token, one more try.
            token, failed = self.token(state, deadline, force=True)
            if failed:
                return failed
            answer = self.call(state, "GET", url, token=token, deadline=deadline)
        if answer.status != 200:
            return failure_view(answer)
        listing = json.loads(answer.body)
        # Every format the service lists (PDF, and HTML in today's service), each its own entry.
        reports = [{"schoolYear": r["schoolYear"], "assessment": r["assessment"],
                    "language": r["language"], "format": r.get("format", "pdf"), "url": r["url"]}
                   for r in listing.get("reports", [])]
        return {"outcome": "ok", "reports": reports}


def rejected_view(code):
    what = "have expired" if code == "credentials_expired" else "were rejected"
    return {"outcome": "auth_error", "reports": [],
            "message": "This LEA's SSR credentials " + what +
                       ": a coordinator must generate new ones in TOMS and enter them here."}


def failure_view(answer):
    if answer.status == 404 and answer.code == "student_not_found":
        return {"outcome": "not_found", "reports": [],
                "message": "No score reports are available for this student here."}
    if answer.status == 401:
        return {"outcome": "auth_error", "reports": [], "message": "The service refused our token."}
    if answer.status == 429 or answer.status >= 500:
        return {"outcome": "unavailable", "reports": [],
                "message": "The score report service is temporarily unavailable."}
    return {"outcome": "error", "reports": [],
            "message": "The score report service refused the request (%d %s)." % (answer.status, answer.code)}


def parse_time(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def perform(portal, op, msg):
    """Performs one operation; returns the reply's fields. Raises for a failed operation."""
    if op == "hello":
        return {"name": NAME, "version": VERSION, "capabilities": ["clock"]}
    if op == "reset":
        portal.reset()
        return {}
    if op == "configure":
        portal.configure(msg["lea"], msg["baseURL"], msg["username"], msg["secretKey"], msg.get("school", ""))
        return {}
    if op == "view":
        return portal.view(msg["lea"], msg["ssid"], msg.get("school", ""))
    if op == "clock":
        portal.set_clock(parse_time(msg["now"]))
        return {}
    raise ValueError("operation %r not supported" % op)


def serve_lines(portal):
    """The subprocess transport: one JSON request a line on stdin, one reply a line on stdout."""
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        try:
            reply = {"id": msg["id"], "ok": True}
            reply.update(perform(portal, msg.get("op"), msg))
        except Exception as err:  # the operation failed: say so, keep serving
            reply = {"id": msg.get("id"), "ok": False, "error": str(err)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


def serve_http(portal, addr):
    """The HTTP transport: POST /{op} with the request's fields, the reply as JSON."""
    host, _, port = addr.rpartition(":")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            op = self.path.strip("/")
            length = int(self.headers.get("Content-Length") or 0)
            try:
                msg = json.loads(self.rfile.read(length) or b"{}")
                reply = {"ok": True}
                reply.update(perform(portal, op, msg))
            except Exception as err:
                reply = {"ok": False, "error": str(err)}
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            log(fmt % args)

    server = http.server.ThreadingHTTPServer((host or "0.0.0.0", int(port)), Handler)
    log("driver listening on", addr)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", help="serve the protocol over HTTP on this address instead of stdin/stdout")
    args = parser.parse_args()
    portal = Portal()
    if args.listen:
        serve_http(portal, args.listen)
    else:
        serve_lines(portal)


if __name__ == "__main__":
    main()
