#!/usr/bin/env python3
"""The SDK scenario with boto3: what the SDK sends is recorded by the reference endpoint, what it
surfaces is written to a client report; `lattice-conformance check-client` judges both.

Usage:
    lattice-conformance serve --port 8471 --record boto3.jsonl --fault sdk-scenario &
    python3 scripts/sdk/boto3_scenario.py http://127.0.0.1:8471 --report boto3-result.json
    lattice-conformance check-client boto3.jsonl --client-report boto3-result.json

The scenario (Create calls in this order; the fault plan `sdk-scenario` counts every Create
request, retries included, so it needs a freshly started endpoint):
    1 no-token       a call without a token                         -> 200
    2 with-token     a call with a caller-supplied token            -> 200
    3 retried-500    answered 500 once (create#3), retried           -> 200
    4 duplicate      the pair of call 1 again                        -> 409 ConflictException
    5 retried-429    answered 429 once (create#6), retried           -> 200
    6 throttled      retries off, answered 429 (create#8)            -> ThrottlingException
    7 unknown-error  answered 400 SomethingNewException (create#9)   -> a generic error

Credentials: the reference endpoint's owner test principal, or LATTICE_OWNER=ACCOUNT:KEY:SECRET.
"""

import argparse
import json
import os
import sys
import uuid

import boto3
import botocore
import botocore.config
import botocore.exceptions

OWNER = "111122223333:AKIDLATTICEOWNER0001:ownerSecretKey0000000000000000000000000001"
# A caller-supplied token with upper case and symbols: it must arrive unchanged.
SUPPLIED_TOKEN = "Lattice-SDK-check_0001~"
# Members a surfaced error may carry, by their model names.
ERROR_MEMBERS = ("resourceId", "resourceType", "retryAfterSeconds", "serviceCode", "quotaCode", "reason")


def client(url, region, key, secret, attempts):
    config = botocore.config.Config(
        retries={"mode": "standard", "total_max_attempts": attempts},
        connect_timeout=5,
        read_timeout=20,
    )
    return boto3.client(
        "vpc-lattice",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=config,
    )


def surfaced(error):
    """What boto3 surfaced: the modelled exception class (or the code of a generic ClientError)
    and the modelled members it parsed."""
    response = error.response
    code = response.get("Error", {}).get("Code")
    kind = type(error).__name__
    out = {"type": code if kind == "ClientError" else kind, "class": kind, "code": code}
    out["message"] = response.get("Error", {}).get("Message") or response.get("message")
    for member in ERROR_MEMBERS:
        if member in response:
            out[member] = response[member]
    return out


def call(lattice, name, supplied_token=None, **params):
    if supplied_token is not None:
        params["clientToken"] = supplied_token
    entry = {"name": name, "supplied_token": supplied_token}
    try:
        answer = lattice.create_service_network_service_association(**params)
        entry.update(result="ok", id=answer.get("id"))
    except botocore.exceptions.ClientError as e:
        entry.update(result="error", error=surfaced(e))
    except Exception as e:  # anything but a service error is a crash of the SDK
        entry.update(result="crash", crash=f"{type(e).__name__}: {e}")
    print(f"{name:<14} {entry['result']:<6} {json.dumps(entry.get('error') or entry.get('id') or entry.get('crash'))}")
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("LATTICE_ENDPOINT", "http://127.0.0.1:8471"))
    parser.add_argument("--report", required=True, help="where to write the client report (JSON)")
    parser.add_argument("--region", default=os.environ.get("LATTICE_REGION", "us-east-1"))
    args = parser.parse_args()
    _account, key, secret = os.environ.get("LATTICE_OWNER", OWNER).split(":", 2)

    lattice = client(args.url, args.region, key, secret, attempts=3)
    no_retries = client(args.url, args.region, key, secret, attempts=1)

    run = uuid.uuid4().hex[:8]
    network = lattice.create_service_network(name=f"sdk-net-{run}")["id"]
    services = [lattice.create_service(name=f"sdk-svc-{i}-{run}")["id"] for i in range(1, 7)]

    def pair(i):
        return {"serviceIdentifier": services[i - 1], "serviceNetworkIdentifier": network}

    calls = [
        call(lattice, "no-token", **pair(1)),
        call(lattice, "with-token", SUPPLIED_TOKEN, **pair(2)),
        call(lattice, "retried-500", **pair(3)),
        call(lattice, "duplicate", **pair(1)),
        call(lattice, "retried-429", **pair(4)),
        call(no_retries, "throttled", **pair(5)),
        call(lattice, "unknown-error", **pair(6)),
    ]
    report = {
        "client": f"boto3 {boto3.__version__} (botocore {botocore.__version__})",
        "calls": calls,
    }
    with open(args.report, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {args.report}: {report['client']}, {len(calls)} Create calls")


if __name__ == "__main__":
    sys.exit(main())
