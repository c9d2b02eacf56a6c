#!/usr/bin/env python3
"""Smoke test of a VPC Lattice endpoint with the AWS CLI v1 (`aws vpc-lattice ...`), as a person
would type it. Installs nothing and starts nothing: give it the endpoint and, for the reference
endpoint, what `serve` printed.

Usage:
    lattice-conformance serve --port 8471 > serve.log &
    python3 scripts/awscli_smoke.py http://127.0.0.1:8471 --serve-log serve.log --aws .venv/bin/aws

Steps, each printed PASS or FAIL with what it checked (exit 1 if any failed, 2 on a usage error):
create-service-network; create-service; create-service-network-service-association with --tags
and --client-token; the same again with the same token (same id and ARN); list-tags-for-resource
(the tags are on the association); get-service-network-service-association (until ACTIVE);
list-service-network-service-associations --service-network-identifier; the same list with the
endpoint from AWS_ENDPOINT_URL instead of --endpoint-url; delete-service-network-service-association;
and two invalid serviceIdentifiers: `svc-0123`, which the CLI refuses itself (its botocore checks
the model's minimum length of 17, so nothing is sent), and `svc-0123456789ABCDEF0`, which only the
endpoint can refuse (the CLI checks no pattern): a non-zero exit and ValidationException on stderr.

With LATTICE_SMOKE_EXAMPLE=1 one more step runs the `example:` line that `serve` printed, exactly
as printed, through the shell (with the venv's `aws` first on PATH and only the owner's keys in
the environment, so that the line's own settings are what is tested) and requires its JSON.

Credentials: the owner principal from --serve-log, else LATTICE_OWNER=ACCOUNT:KEY:SECRET, else
the reference endpoint's built-in owner. Region: the log's `region:`, else LATTICE_REGION, else
us-east-1. The CLI v1 reads the region from AWS_DEFAULT_REGION only (not AWS_REGION); every call
but the AWS_ENDPOINT_URL step passes --endpoint-url. ~/.aws is never read (AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE are /dev/null), and HTTPS_PROXY points at a closed loopback port, so a
call that ignored the endpoint fails here instead of leaving the machine.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid

OWNER = "111122223333:AKIDLATTICEOWNER0001:ownerSecretKey0000000000000000000000000001"
# The lines `lattice-conformance serve` prints that this script reads.
ENDPOINT_LINE = re.compile(r"^reference endpoint:\s*(\S+)\s*$", re.M)
REGION_LINE = re.compile(r"^region:\s*(\S+)\s*$", re.M)
OWNER_LINE = re.compile(
    r"^\s*owner\s+account\s+(\d{12})\s+AWS_ACCESS_KEY_ID=(\S+)\s+AWS_SECRET_ACCESS_KEY=(\S+)\s*$", re.M
)
EXAMPLE_LINE = re.compile(r"^example:\s*(.+?)\s*$", re.M)
# Where a call that ignored the endpoint would go instead of AWS: the discard port, closed here.
DEAD_PROXY = "http://127.0.0.1:9"


class Mismatch(Exception):
    """A step's check that did not hold."""


class Aws:
    """Runs the AWS CLI with the owner's credentials and nothing from the caller's AWS set-up."""

    def __init__(self, exe, url, region, key, secret):
        self.exe, self.url = exe, url
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            PATH=os.path.dirname(os.path.abspath(exe)) + os.pathsep + env.get("PATH", ""),
            AWS_ACCESS_KEY_ID=key,
            AWS_SECRET_ACCESS_KEY=secret,
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
            HTTPS_PROXY=DEAD_PROXY,
            https_proxy=DEAD_PROXY,
            NO_PROXY="127.0.0.1,localhost,::1",
            no_proxy="127.0.0.1,localhost,::1",
        )
        # What the printed example runs under: the keys, but no region or endpoint of ours.
        self.bare_env = dict(env)
        env["AWS_DEFAULT_REGION"] = region
        self.env = env

    def run(self, *args, endpoint_from_env=False):
        """`aws ARGS --output json`; returns (exit code, parsed stdout or None, stderr)."""
        command = [self.exe, *args, "--output", "json"]
        env = dict(self.env)
        if endpoint_from_env:
            env["AWS_ENDPOINT_URL"] = self.url
        else:
            command += ["--endpoint-url", self.url]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        try:
            out = json.loads(done.stdout) if done.stdout.strip() else None
        except json.JSONDecodeError:
            out = None
        return done.returncode, out, done.stderr

    def ok(self, *args, **kwargs):
        """Runs a call that must succeed; returns its JSON."""
        code, out, err = self.run(*args, **kwargs)
        if code != 0:
            raise Mismatch(f"`aws {' '.join(args[:2])}` exited {code}: {err.strip()}")
        if not isinstance(out, dict):
            raise Mismatch(f"`aws {' '.join(args[:2])}` printed no JSON object")
        return out


def require(condition, what):
    if not condition:
        raise Mismatch(what)


def parse_serve_log(path):
    """The endpoint, region, owner (account, key, secret) and example line `serve` printed."""
    text = open(path, encoding="utf-8").read()
    endpoint, region = ENDPOINT_LINE.search(text), REGION_LINE.search(text)
    owner, example = OWNER_LINE.search(text), EXAMPLE_LINE.search(text)
    return {
        "endpoint": endpoint and endpoint.group(1),
        "region": region and region.group(1),
        "owner": owner and owner.groups(),
        "example": example and example.group(1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="the endpoint, e.g. http://127.0.0.1:8471")
    parser.add_argument("--serve-log", help="what `lattice-conformance serve` printed (credentials, region, example)")
    parser.add_argument("--aws", default=os.environ.get("AWS_CLI") or shutil.which("aws") or "aws",
                        help="the AWS CLI v1 to run (default: $AWS_CLI, else `aws` on PATH)")
    args = parser.parse_args()
    url = args.url.rstrip("/")

    printed = parse_serve_log(args.serve_log) if args.serve_log else {}
    if args.serve_log and not printed["owner"]:
        print(f"usage: {args.serve_log} has no `owner` principal line (is it what `serve` printed?)", file=sys.stderr)
        return 2
    if printed.get("endpoint") and printed["endpoint"].rstrip("/") != url:
        print(f"usage: {args.serve_log} is from {printed['endpoint']}, not {url}", file=sys.stderr)
        return 2
    account, key, secret = printed.get("owner") or os.environ.get("LATTICE_OWNER", OWNER).split(":", 2)
    region = printed.get("region") or os.environ.get("LATTICE_REGION", "us-east-1")
    if not os.path.exists(args.aws) and not shutil.which(args.aws):
        print(f"usage: no AWS CLI at `{args.aws}` (hint: --aws PATH, from a venv with awscli 1.x)", file=sys.stderr)
        return 2
    aws = Aws(shutil.which(args.aws) or args.aws, url, region, key, secret)
    version = subprocess.run([aws.exe, "--version"], env=aws.env, capture_output=True, text=True)
    print(f"endpoint {url} ({region}), owner {account}, {(version.stdout or version.stderr).strip()}")

    state, results = {}, []

    def step(name, needs=()):
        """Runs the decorated check as a step; it is FAIL without running when a step it needs
        did not produce its value."""

        def run(check):
            missing = [n for n in needs if n not in state]
            try:
                if missing:
                    raise Mismatch(f"not run: needs {', '.join(missing)} from an earlier step")
                what = check()
                results.append(True)
                print(f"PASS {name}: {what}")
            except (Mismatch, subprocess.TimeoutExpired, OSError) as e:
                results.append(False)
                print(f"FAIL {name}: {e}")
            return check

        return run

    run_id = uuid.uuid4().hex[:12]
    token = f"awscli-smoke-{run_id}"
    tags = {"env": "smoke", "team": "lattice"}

    @step("create-service-network")
    def _():
        out = aws.ok("vpc-lattice", "create-service-network", "--name", f"cli-net-{run_id}")
        require(str(out.get("id", "")).startswith("sn-"), f"id {out.get('id')!r} is not an sn- id")
        state["network"] = out["id"]
        return f"id {out['id']}"

    @step("create-service")
    def _():
        out = aws.ok("vpc-lattice", "create-service", "--name", f"cli-svc-{run_id}")
        require(str(out.get("id", "")).startswith("svc-"), f"id {out.get('id')!r} is not a svc- id")
        state["service"] = out["id"]
        return f"id {out['id']}"

    def create_association():
        return aws.ok(
            "vpc-lattice", "create-service-network-service-association",
            "--service-identifier", state["service"],
            "--service-network-identifier", state["network"],
            "--tags", ",".join(f"{k}={v}" for k, v in tags.items()),
            "--client-token", token,
        )

    @step("create-service-network-service-association", needs=("network", "service"))
    def _():
        out = create_association()
        require(str(out.get("id", "")).startswith("snsa-"), f"id {out.get('id')!r} is not an snsa- id")
        require(out.get("status") in ("CREATE_IN_PROGRESS", "ACTIVE"), f"status {out.get('status')!r}")
        require(out.get("createdBy") == account, f"createdBy {out.get('createdBy')!r}, not the owner {account}")
        state["association"], state["arn"] = out["id"], out.get("arn")
        return f"--tags and --client-token accepted: id {out['id']}, status {out['status']}, createdBy {account}"

    @step("create again with the same --client-token", needs=("association",))
    def _():
        out = create_association()
        require((out.get("id"), out.get("arn")) == (state["association"], state["arn"]),
                f"a replay returned {out.get('id')!r}, not {state['association']!r}")
        return f"the same id {out['id']} and ARN"

    @step("list-tags-for-resource", needs=("association", "arn"))
    def _():
        out = aws.ok("vpc-lattice", "list-tags-for-resource", "--resource-arn", state["arn"])
        require(out.get("tags") == tags, f"the association carries {out.get('tags')}, not {tags}")
        return f"the association's ARN carries the --tags given on create: {tags}"

    @step("get-service-network-service-association", needs=("association",))
    def _():
        deadline = time.monotonic() + 10
        while True:
            out = aws.ok("vpc-lattice", "get-service-network-service-association",
                         "--service-network-service-association-identifier", state["association"])
            if out.get("status") == "ACTIVE" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        require(out.get("id") == state["association"], f"id {out.get('id')!r}")
        require(out.get("serviceId") == state["service"], f"serviceId {out.get('serviceId')!r}")
        require(out.get("serviceNetworkId") == state["network"], f"serviceNetworkId {out.get('serviceNetworkId')!r}")
        require(out.get("status") == "ACTIVE", f"status {out.get('status')!r} after 10 s, not ACTIVE")
        return "id, serviceId and serviceNetworkId as created; status ACTIVE"

    def listed(**kwargs):
        out = aws.ok("vpc-lattice", "list-service-network-service-associations",
                     "--service-network-identifier", state["network"], **kwargs)
        return [item.get("id") for item in out.get("items", [])]

    @step("list-service-network-service-associations", needs=("association",))
    def _():
        ids = listed()
        require(ids == [state["association"]], f"the network lists {ids}, not [{state['association']}]")
        return f"--service-network-identifier lists exactly [{state['association']}]"

    @step("AWS_ENDPOINT_URL instead of --endpoint-url", needs=("association",))
    def _():
        ids = listed(endpoint_from_env=True)
        require(ids == [state["association"]], f"the network lists {ids}, not [{state['association']}]")
        return "the CLI honours AWS_ENDPOINT_URL: the same listing from this endpoint"

    @step("delete-service-network-service-association", needs=("association",))
    def _():
        out = aws.ok("vpc-lattice", "delete-service-network-service-association",
                     "--service-network-service-association-identifier", state["association"])
        require(out.get("id") == state["association"], f"id {out.get('id')!r}")
        require(out.get("status") in ("DELETE_IN_PROGRESS", "DELETED"), f"status {out.get('status')!r}")
        return f"id {out['id']}, status {out['status']}"

    def invalid(service):
        return aws.run("vpc-lattice", "create-service-network-service-association",
                       "--service-identifier", service, "--service-network-identifier", state["network"])

    @step("invalid serviceIdentifier svc-0123 (refused by the CLI)", needs=("network",))
    def _():
        # Shorter than the model's 17 characters: botocore's own validation refuses it, so it
        # never reaches the endpoint and no ValidationException can be seen for it.
        code, _out, err = invalid("svc-0123")
        require(code != 0, "the CLI exited 0")
        require("Invalid length for parameter serviceIdentifier" in err,
                f"no parameter validation error on stderr: {err.strip()!r}")
        return f"exit {code}, stderr: the CLI's own length check (min 17), nothing sent"

    @step("invalid serviceIdentifier svc-0123456789ABCDEF0 (refused by the endpoint)", needs=("network",))
    def _():
        # Long enough for the CLI, which checks no pattern: upper case breaks the model's
        # ((svc-[0-9a-z]{17})|(arn:...)), which only the endpoint judges.
        code, _out, err = invalid("svc-0123456789ABCDEF0")
        require(code != 0, "the CLI exited 0")
        require("ValidationException" in err, f"no ValidationException on stderr: {err.strip()!r}")
        return f"exit {code}, stderr names ValidationException"

    if os.environ.get("LATTICE_SMOKE_EXAMPLE") == "1":

        @step("serve's printed example")
        def _():
            example = printed.get("example")
            require(example, "no `example:` line (hint: --serve-log FILE, what `serve` printed)")
            done = subprocess.run(example, shell=True, env=aws.bare_env, capture_output=True, text=True, timeout=60)
            require(done.returncode == 0, f"`{example}` exited {done.returncode}: {done.stderr.strip()}")
            try:
                out = json.loads(done.stdout)
            except json.JSONDecodeError:
                raise Mismatch(f"`{example}` printed no JSON: {done.stdout.strip()[:200]!r}") from None
            require(isinstance(out, dict), f"`{example}` printed {type(out).__name__}, not a JSON object")
            listing = ""
            if "network" in state and example.rstrip().endswith("list-service-networks"):
                ids = [item.get("id") for item in out.get("items", [])]
                require(state["network"] in ids, f"the network {state['network']} is not among {ids}")
                listing = f" listing {state['network']}"
            return f"`{example}` ran as printed and answered JSON{listing}"
    else:
        print("SKIP serve's printed example: set LATTICE_SMOKE_EXAMPLE=1 to run it")

    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
