#!/usr/bin/env python3
"""A deliberately broken VPC Lattice client, to show that `check-client` catches one. It signs
correctly (botocore's SigV4Auth) and surfaces errors honestly, but fills in clientToken wrongly:

    --breakage fresh-token  (default) a new token on every attempt: when it retries a 500 or 429
                            itself, the retry is a new request (after a lost success, a second
                            association); fails SDK-RETRY-SAME-TOKEN
    --breakage omit-token   no token when the caller gives none; fails SDK-TOKEN-AUTOFILL

It runs the same scenario as boto3_scenario.py, against the same fault plan
(`serve --fault sdk-scenario`).

Usage:
    python3 scripts/sdk/broken_client.py http://127.0.0.1:8471 --report broken-result.json
    lattice-conformance check-client broken.jsonl --client-report broken-result.json   # exit 1
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

OWNER = "111122223333:AKIDLATTICEOWNER0001:ownerSecretKey0000000000000000000000000001"
SUPPLIED_TOKEN = "Lattice-SDK-check_0001~"
MODELLED = {
    "AccessDeniedException", "ConflictException", "InternalServerException",
    "ResourceNotFoundException", "ServiceQuotaExceededException", "ThrottlingException",
    "ValidationException",
}


class Client:
    def __init__(self, url, region, key, secret, breakage):
        self.url, self.region, self.breakage = url.rstrip("/"), region, breakage
        self.credentials = Credentials(key, secret)

    def send(self, path, body):
        """One signed POST; returns (status, headers, parsed body)."""
        data = json.dumps(body).encode()
        request = AWSRequest(method="POST", url=self.url + path, data=data,
                             headers={"Content-Type": "application/json"})
        SigV4Auth(self.credentials, "vpc-lattice", self.region).add_auth(request)
        raw = urllib.request.Request(self.url + path, data=data, method="POST",
                                     headers=dict(request.headers.items()))
        try:
            with urllib.request.urlopen(raw, timeout=20) as r:
                return r.status, dict(r.headers), json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), json.loads(e.read() or b"{}")

    def create_association(self, token=None, retries=2, **params):
        """The broken part: a fresh token on every attempt, or none at all."""
        for attempt in range(retries + 1):
            body = dict(params)
            if token is not None:
                body["clientToken"] = token
            elif self.breakage == "fresh-token":
                body["clientToken"] = str(uuid.uuid4())  # fresh on every attempt
            status, headers, answer = self.send("/servicenetworkserviceassociations", body)
            if status not in (429, 500, 502, 503) or attempt == retries:
                return status, headers, answer


def surfaced(status, headers, answer):
    lower = {k.lower(): v for k, v in headers.items()}
    code = lower.get("x-amzn-errortype", "").split(":")[0]
    error = {"type": code, "message": answer.get("message")}
    for member in ("resourceId", "resourceType", "serviceCode", "quotaCode", "reason"):
        if member in answer:
            error[member] = answer[member]
    if code in ("ThrottlingException", "InternalServerException") and "retry-after" in lower:
        error["retryAfterSeconds"] = int(lower["retry-after"])
    return error


def call(client, name, supplied_token=None, retries=2, **params):
    entry = {"name": name, "supplied_token": supplied_token}
    try:
        status, headers, answer = client.create_association(supplied_token, retries, **params)
        if 200 <= status < 300:
            entry.update(result="ok", id=answer.get("id"))
        else:
            entry.update(result="error", error=surfaced(status, headers, answer))
    except Exception as e:
        entry.update(result="crash", crash=f"{type(e).__name__}: {e}")
    print(f"{name:<14} {entry['result']:<6} {json.dumps(entry.get('error') or entry.get('id') or entry.get('crash'))}")
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("LATTICE_ENDPOINT", "http://127.0.0.1:8471"))
    parser.add_argument("--report", required=True)
    parser.add_argument("--region", default=os.environ.get("LATTICE_REGION", "us-east-1"))
    parser.add_argument("--breakage", choices=("fresh-token", "omit-token"), default="fresh-token")
    args = parser.parse_args()
    _account, key, secret = os.environ.get("LATTICE_OWNER", OWNER).split(":", 2)
    client = Client(args.url, args.region, key, secret, args.breakage)

    run = uuid.uuid4().hex[:8]
    network = client.send("/servicenetworks", {"name": f"broken-net-{run}"})[2]["id"]
    services = [client.send("/services", {"name": f"broken-svc-{i}-{run}"})[2]["id"] for i in range(1, 7)]

    def pair(i):
        return {"serviceIdentifier": services[i - 1], "serviceNetworkIdentifier": network}

    calls = [
        call(client, "no-token", **pair(1)),
        call(client, "with-token", SUPPLIED_TOKEN, **pair(2)),
        call(client, "retried-500", **pair(3)),
        call(client, "duplicate", **pair(1)),
        call(client, "retried-429", **pair(4)),
        call(client, "throttled", retries=0, **pair(5)),
        call(client, "unknown-error", **pair(6)),
    ]
    report = {"client": f"broken_client.py --breakage {args.breakage}", "calls": calls}
    with open(args.report, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {args.report}: {len(calls)} Create calls")


if __name__ == "__main__":
    sys.exit(main())
