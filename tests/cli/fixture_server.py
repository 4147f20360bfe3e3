#!/usr/bin/env python3
"""A loopback HTTP/1.1 origin for the CLI flag tests: answers with chosen statuses, headers and bodies.

usage: fixture_server.py PORT   (listens on 127.0.0.1:PORT until killed)

Routes (query parameters in brackets):
  /echo            200, JSON: method, path, headers (ordered [name, value] pairs as received), body (latin-1),
                   peer (the client's port: one value per connection)
  /redirect[n]     302 to /redirect?n=<n-1> while n > 0, then 200 "arrived"; /loop redirects to itself
  /cookie          sets session=s3ss (no expiry) and keep=k33p (persistent) and answers 200 "cookies set"
  /gzip            200, a gzip body with Content-Encoding: gzip
  /auth            401 with a Basic challenge unless an Authorization header came, then like /echo
  /type            200 with Content-Type: application/x-wraith-test
  /large[size,chunks,delay]  200 with size bytes in chunks pieces, delay seconds apart
  /hang            reads the request and never answers
  /empty           reads the request and closes without a byte
Every response carries X-Seen-Method (so a HEAD's method is visible without a body).
"""
import gzip
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GZIP_TEXT = b"this body travelled gzip-compressed\n" * 20


def large_body(size):
    pattern = bytes(range(256))
    return (pattern * (size // 256 + 1))[:size]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length else b""

    def answer(self, status, body=b"", headers=()):
        self.send_response_only(status)
        self.send_header("X-Seen-Method", self.command)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def echo(self, body):
        doc = {
            "method": self.command,
            "path": self.path,
            "headers": [[n, v] for n, v in self.headers.items()],
            "body": body.decode("latin-1"),
            "peer": self.client_address[1],
        }
        self.answer(200, json.dumps(doc).encode(), [("Content-Type", "application/json")])

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        body = self.read_body()
        path = url.path
        if path == "/echo":
            return self.echo(body)
        if path == "/redirect":
            n = int(query.get("n", "1"))
            if n <= 0:
                return self.answer(200, b"arrived", [("Content-Type", "text/plain")])
            return self.answer(302, b"", [("Location", "/redirect?n=%d" % (n - 1))])
        if path == "/to":
            return self.answer(int(query.get("status", "302")), b"", [("Location", query.get("location", "/echo"))])
        if path == "/loop":
            return self.answer(302, b"", [("Location", "/loop")])
        if path == "/cookie":
            return self.answer(200, b"cookies set", [
                ("Set-Cookie", "session=s3ss; Path=/"),
                ("Set-Cookie", "keep=k33p; Path=/; Max-Age=86400"),
            ])
        if path == "/gzip":
            return self.answer(200, gzip.compress(GZIP_TEXT), [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")])
        if path == "/auth":
            if "Authorization" not in self.headers:
                return self.answer(401, b"who are you", [("WWW-Authenticate", 'Basic realm="wraith-test"')])
            return self.echo(body)
        if path == "/type":
            return self.answer(200, b"typed", [("Content-Type", "application/x-wraith-test")])
        if path == "/large":
            size, chunks, delay = int(query.get("size", "1048576")), int(query.get("chunks", "1")), float(query.get("delay", "0"))
            data = large_body(size)
            self.send_response_only(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            step = (size + chunks - 1) // chunks
            for at in range(0, size, step):
                self.wfile.write(data[at:at + step])
                self.wfile.flush()
                if delay:
                    time.sleep(delay)
            return
        if path == "/hang":
            time.sleep(3600)
            return
        if path == "/empty":
            self.close_connection = True
            return
        return self.answer(404, b"no such route", [("Content-Type", "text/plain")])

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = route


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
    threading.current_thread().name = "fixture-server"
    server.serve_forever()
