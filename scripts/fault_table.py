#!/usr/bin/env python3
"""The fault table of issue "the harness under hostile endpoints": runs `lattice-conformance run`
against a hostile loopback endpoint, once per fault, and prints fault, verdict counts, exit code,
wall time and the run's peak memory (ru_maxrss of the child process).

Usage: python3 scripts/fault_table.py [path/to/lattice-conformance]   (default: target/release/…)
Only loopback traffic; every run is bounded by a request budget and the profile's timeouts.
"""

import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = [
    "not-json", "truncated-json", "wrong-shape", "huge-body", "slow", "wrong-content-type",
    "5xx-storm", "429-seconds", "429-http-date", "429-garbage", "redirect", "odd-status",
    "close-mid-response", "reset-before-response", "mixed",
]
FAULT = {"name": "not-json", "n": 0}


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status, body=b"", ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        FAULT["n"] += 1
        name = FAULT["name"]
        if name == "mixed":
            name = FAULTS[(FAULT["n"] * 7) % (len(FAULTS) - 1)]
            if name == "huge-body" and FAULT["n"] > 20:
                name = "not-json"
        if name == "not-json":
            return self._reply(200, b"<html>hello</html>", "text/html")
        if name == "truncated-json":
            return self._reply(200, b'{"id": "snsa-0123456789abcdef0", "arn": "arn:aws:vpc-la')
        if name == "wrong-shape":
            return self._reply(200, b'{"id": 5, "arn": ["x"], "status": {"a": 1}, "items": "none"}')
        if name == "huge-body":
            size = 100 << 20
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"{" * (1 << 20)
            try:
                for _ in range(100):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return None
        if name == "slow":
            time.sleep(3)
            return self._reply(200, b"{}")
        if name == "wrong-content-type":
            return self._reply(200, b'{"id":"snsa-0123456789abcdef0"}', "text/plain")
        if name == "5xx-storm":
            return self._reply(503, b'{"message":"unavailable"}')
        if name.startswith("429"):
            value = {"429-seconds": "0", "429-http-date": "Wed, 21 Oct 2015 07:28:00 GMT", "429-garbage": "soon-ish"}[name]
            return self._reply(429, b'{"message":"slow down"}', headers=[("Retry-After", value), ("x-amzn-ErrorType", "ThrottlingException")])
        if name == "redirect":
            return self._reply(307, b"", headers=[("Location", "http://127.0.0.1:9/steal")])
        if name == "odd-status":
            return self._reply(418, b'{"message":"teapot"}')
        if name == "close-mid-response":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"id\": \"snsa-01")
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if name == "reset-before-response":
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            return None
        return self._reply(500, b"{}")

    do_GET = do_POST = do_DELETE = _handle


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/lattice-conformance"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tempfile.mkdtemp(prefix="lattice-faults-")
    profile = os.path.join(tmp, "hostile.toml")
    lines = [f'name = "hostile"', f'endpoint = "{url}"', "[capabilities]", "ram = true", "delete = true",
             "[limits]", "connect_timeout_ms = 500", "request_timeout_ms = 500", "max_retry_wait_ms = 20"]
    for role in ("owner", "peer", "outsider"):
        key = f"AKIAHOSTILE{role.upper():<9}".replace(" ", "0")
        lines += ["[[principals]]", f'role = "{role}"', f'access_key_id = "{key}"',
                  f'secret_access_key = "hostile-{role}-secret"']
    open(profile, "w").write("\n".join(lines) + "\n")
    print("| fault | pass | fail | inconclusive | skipped | exit | wall time | peak memory |")
    print("|---|---|---|---|---|---|---|---|")
    for name in FAULTS:
        FAULT.update(name=name, n=0)
        report = os.path.join(tmp, f"{name}.json")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.monotonic()
        proc = subprocess.run([binary, "run", "--target", profile, "--cases", "1", "--seed", "1",
                               "--budget", "120", "--race-levels", "2", "--status-timeout", "1", "--json", report],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
        wall = time.monotonic() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        s = json.load(open(report))["summary"] if os.path.exists(report) else {}
        peak_note = f"{peak / 1024:.0f} MiB" if peak > before else f"≤ {before / 1024:.0f} MiB"
        print(f"| {name} | {s.get('pass', '-')} | {s.get('fail', '-')} | {s.get('inconclusive', '-')} | "
              f"{s.get('skipped', '-')} | {proc.returncode} | {wall:.1f} s | {peak_note} |")
    server.shutdown()


if __name__ == "__main__":
    main()
