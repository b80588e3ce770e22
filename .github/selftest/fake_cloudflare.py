#!/usr/bin/env python3
"""A small stand-in for the Cloudflare API v4, for the image self-test.

Standard library only. It answers the calls cloudflare-purge makes with the
bodies Cloudflare sends (see shared reference: observed-bodies.json), accepts
exactly one token, and appends every request it receives to a JSON-lines log so
the test can assert what "Cloudflare" was asked.

Run alone:
    fake_cloudflare.py --token TOKEN --log requests.jsonl --port-file port.txt
It listens on 127.0.0.1 (port 0 = any free port, written to --port-file once
it is ready) until it is killed.
"""

import argparse
import json
import re
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

API_PREFIX = "/client/v4"
DEFAULT_ZONE_ID = "3f2c8a1e9b7d4c6a8e0f1a2b3c4d5e6f"
ZONE_NAME = "example.com"
ACCOUNT_ID = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
HEX32 = re.compile(r"^[0-9a-f]{32}$")
PURGE_KEYS = ("purge_everything", "files", "tags", "hosts", "prefixes")


def envelope(result, messages=None):
    return {"success": True, "errors": [], "messages": messages or [], "result": result}


def failure(code, message):
    return {"success": False, "errors": [{"code": code, "message": message}], "messages": [], "result": None}


VERIFY_OK = envelope(
    {"id": "6247ac8d9c10ba11154a2b82d35953b7", "status": "active"},
    [{"code": 10000, "message": "This API Token is valid and active", "type": None}],
)
INVALID_TOKEN = failure(1000, "Invalid API Token")
MISSING_AUTH = failure(1001, 'Missing "Authorization" header')
# What /zones answers for a token it does not know (observed live).
INVALID_ACCESS = failure(9109, "Invalid access token")
NO_ROUTE = failure(7000, "No route for that URI")


def zone(zone_id):
    return {
        "id": zone_id,
        "name": ZONE_NAME,
        "status": "active",
        "account": {"id": ACCOUNT_ID, "name": "Self-test account"},
        "plan": {"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Free Website", "legacy_id": "free"},
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-cloudflare/1"
    protocol_version = "HTTP/1.1"

    # Set on the class by make_server().
    good_token = ""
    zone_id = DEFAULT_ZONE_ID
    log_path = None
    log_lock = threading.Lock()

    def log_message(self, fmt, *args):  # keep the test's output readable
        pass

    def _auth(self):
        header = self.headers.get("Authorization")
        if header is None:
            return "none"
        return "good" if header == f"Bearer {self.good_token}" else "bad"

    def _record(self, body):
        entry = {
            "method": self.command,
            "path": urlsplit(self.path).path,
            "query": parse_qs(urlsplit(self.path).query),
            "auth": self._auth(),
            "body": body,
        }
        if self.log_path:
            with self.log_lock, open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps(entry) + "\n")

    def _send(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return {"unparsed": raw.decode("utf-8", "replace")}

    def do_GET(self):
        self._record(None)
        path = urlsplit(self.path).path
        query = parse_qs(urlsplit(self.path).query)
        if not path.startswith(API_PREFIX + "/"):
            return self._send(404, NO_ROUTE)
        parts = path[len(API_PREFIX) + 1 :].strip("/").split("/")
        auth = self._auth()

        if parts == ["user", "tokens", "verify"] or (
            len(parts) == 4 and parts[0] == "accounts" and parts[2:] == ["tokens", "verify"]
        ):
            if auth == "none":
                return self._send(400, MISSING_AUTH)
            # The good token is user-owned: the account endpoint does not know it either.
            if auth == "good" and parts[0] == "user":
                return self._send(200, VERIFY_OK)
            return self._send(401, INVALID_TOKEN)

        if parts == ["zones"]:
            if auth != "good":
                return self._send(403, INVALID_ACCESS)
            names = query.get("name", [])
            found = [zone(self.zone_id)] if not names or names[0] == ZONE_NAME else []
            body = envelope(found)
            body["result_info"] = {"page": 1, "per_page": 20, "count": len(found), "total_count": len(found)}
            return self._send(200, body)

        if len(parts) == 2 and parts[0] == "zones":
            if not HEX32.match(parts[1]):
                return self._send(
                    400,
                    failure(7003, f"Could not route to {path}, perhaps your object identifier is invalid?"),
                )
            if auth != "good":
                return self._send(403, INVALID_ACCESS)
            return self._send(200, envelope(zone(parts[1])))

        return self._send(404, NO_ROUTE)

    def do_POST(self):
        body = self._read_body()
        self._record(body)
        path = urlsplit(self.path).path
        parts = path[len(API_PREFIX) + 1 :].strip("/").split("/") if path.startswith(API_PREFIX + "/") else []
        if len(parts) == 3 and parts[0] == "zones" and parts[2] == "purge_cache" and HEX32.match(parts[1]):
            if self._auth() != "good":
                return self._send(403, INVALID_ACCESS)
            if not isinstance(body, dict) or sum(key in body for key in PURGE_KEYS) != 1:
                return self._send(
                    400,
                    failure(
                        1012,
                        'Request must contain one of "purge_everything", "files", "tags", "hosts" or "prefixes"',
                    ),
                )
            return self._send(200, envelope({"id": secrets.token_hex(16)}))
        return self._send(404, NO_ROUTE)


def make_server(good_token, log_path=None, zone_id=DEFAULT_ZONE_ID, port=0):
    """A ready-to-serve fake on 127.0.0.1; its port is server.server_address[1]."""
    handler = type("BoundHandler", (Handler,), {"good_token": good_token, "zone_id": zone_id, "log_path": log_path})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--token", required=True, help="the one token the fake accepts")
    parser.add_argument("--log", help="append each request to this JSON-lines file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", help="write the bound port here once listening")
    parser.add_argument("--zone-id", default=DEFAULT_ZONE_ID, help="the id GET /zones?name= answers with")
    args = parser.parse_args()
    server = make_server(args.token, args.log, args.zone_id, args.port)
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as out:
            out.write(f"{port}\n")
    print(f"fake Cloudflare API on http://127.0.0.1:{port}{API_PREFIX}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
