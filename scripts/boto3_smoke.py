#!/usr/bin/env python3
"""Smoke test of a VPC Lattice endpoint with boto3 (which signs exactly as AWS does).

Usage:
    python3 scripts/boto3_smoke.py [URL] [owner=ACCOUNT:KEY:SECRET] [peer=...] [outsider=...]

or the environment: LATTICE_ENDPOINT, LATTICE_OWNER, LATTICE_PEER, LATTICE_OUTSIDER (each
ACCOUNT:KEY:SECRET), LATTICE_REGION. The defaults are the reference endpoint's built-in test
principals at http://127.0.0.1:8471 (start it with
`cargo run -p lattice-reference --example serve`).

It creates a service network, a service and an association; replays the create with the same
client token (same id); gets a modelled ConflictException for a duplicate; reads the tags through
/tags/{arn} (double-encoded in the signature); shares a network with a second account through
RAM (the peer accepts the invitation) and associates across accounts by ARN; checks that a bare
id and an outsider are refused; and deletes. Exits non-zero on the first mismatch.
"""

import os
import sys
import time
import uuid

import boto3
import botocore.config
import botocore.exceptions

DEFAULTS = {
    "owner": "111122223333:AKIDLATTICEOWNER0001:ownerSecretKey0000000000000000000000000001",
    "peer": "444455556666:AKIDLATTICEPEER00002:peerSecretKey00000000000000000000000000002",
    "outsider": "777788889999:AKIDLATTICEOUTSIDER3:outsiderSecretKey0000000000000000000000003",
}


class Mismatch(Exception):
    """A response that differs from the contract."""


def check(condition, what):
    if not condition:
        raise Mismatch(what)
    print(f"ok   {what}")


def expect_error(client, name, what, call, **kwargs):
    """Calls `call(**kwargs)` and requires the modelled exception `name`."""
    exc_type = getattr(client.exceptions, name)
    try:
        call(**kwargs)
    except exc_type as e:
        code = e.response["Error"]["Code"]
        check(code == name, f"{what}: {code}")
        return e.response
    except botocore.exceptions.ClientError as e:
        raise Mismatch(f"{what}: expected {name}, got {e.response['Error']['Code']}") from e
    raise Mismatch(f"{what}: expected {name}, the call succeeded")


def parse_args(argv):
    url = os.environ.get("LATTICE_ENDPOINT", "http://127.0.0.1:8471")
    people = {role: os.environ.get(f"LATTICE_{role.upper()}", DEFAULTS[role]) for role in DEFAULTS}
    for arg in argv:
        role, sep, value = arg.partition("=")
        if sep and role in people:
            people[role] = value
        elif arg.startswith("http"):
            url = arg
        else:
            sys.exit(f"usage: {sys.argv[0]} [URL] [owner|peer|outsider=ACCOUNT:KEY:SECRET]...")
    parsed = {}
    for role, triple in people.items():
        parts = triple.split(":", 2)
        if len(parts) != 3:
            sys.exit(f"{role}: expected ACCOUNT:KEY:SECRET")
        parsed[role] = dict(zip(("account", "key", "secret"), parts))
    return url, parsed


def clients(url, region, person):
    config = botocore.config.Config(retries={"max_attempts": 1})
    common = dict(
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=person["key"],
        aws_secret_access_key=person["secret"],
        config=config,
    )
    return boto3.client("vpc-lattice", **common), boto3.client("ram", **common)


def wait_active(client, ident, budget=10.0):
    """Polls Get until the association is ACTIVE (a server may start in CREATE_IN_PROGRESS)."""
    deadline = time.monotonic() + budget
    while True:
        status = client.get_service_network_service_association(
            serviceNetworkServiceAssociationIdentifier=ident
        )["status"]
        if status == "ACTIVE" or time.monotonic() > deadline:
            check(status == "ACTIVE", f"association {ident} becomes ACTIVE")
            return
        time.sleep(0.1)


def name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def main():
    url, people = parse_args(sys.argv[1:])
    region = os.environ.get("LATTICE_REGION", "us-east-1")
    owner, owner_ram = clients(url, region, people["owner"])
    peer, peer_ram = clients(url, region, people["peer"])
    outsider, _ = clients(url, region, people["outsider"])
    owner_account, peer_account = people["owner"]["account"], people["peer"]["account"]
    print(f"endpoint {url} ({region})")

    network = owner.create_service_network(name=name("net"))
    service = owner.create_service(name=name("service"))
    check(network["id"].startswith("sn-") and service["id"].startswith("svc-"), "created a network and a service")

    token = str(uuid.uuid4())
    tags = {"env": "smoke", "team": "lattice"}
    first = owner.create_service_network_service_association(
        serviceIdentifier=service["id"], serviceNetworkIdentifier=network["id"], clientToken=token, tags=tags
    )
    check(first["ResponseMetadata"]["HTTPStatusCode"] == 200, "create returns 200")
    check(first["id"].startswith("snsa-") and first["createdBy"] == owner_account, "create returns an snsa id")
    check(first["status"] in ("CREATE_IN_PROGRESS", "ACTIVE"), f"status {first['status']}")

    again = owner.create_service_network_service_association(
        serviceIdentifier=service["id"], serviceNetworkIdentifier=network["id"], clientToken=token, tags=tags
    )
    check((again["id"], again["arn"]) == (first["id"], first["arn"]), "a replay with the same token returns the same id")

    expect_error(
        owner,
        "ConflictException",
        "a duplicate with another token is a conflict",
        owner.create_service_network_service_association,
        serviceIdentifier=service["id"],
        serviceNetworkIdentifier=network["id"],
    )
    expect_error(
        owner,
        "ValidationException",
        "an upper-case id is a validation error",
        owner.create_service_network_service_association,
        serviceIdentifier="svc-0123456789ABCDEF0",
        serviceNetworkIdentifier=network["id"],
    )

    listed = owner.list_tags_for_resource(resourceArn=first["arn"])["tags"]
    check(listed == tags, "tags given on create are on the association (/tags/{arn})")
    owner.tag_resource(resourceArn=first["arn"], tags={"extra": "1"})
    owner.untag_resource(resourceArn=first["arn"], tagKeys=["extra", "team"])
    check(owner.list_tags_for_resource(resourceArn=first["arn"])["tags"] == {"env": "smoke"}, "tag and untag")

    listing = owner.list_service_network_service_associations(serviceNetworkIdentifier=network["id"])
    check([i["id"] for i in listing["items"]] == [first["id"]], "the network lists one association")

    # Cross-account: the owner shares a network with the peer, who accepts and associates by ARN.
    shared = owner.create_service_network(name=name("shared"))
    share = owner_ram.create_resource_share(
        name=name("share"), resourceArns=[shared["arn"]], principals=[peer_account]
    )["resourceShare"]
    invitations = peer_ram.get_resource_share_invitations(resourceShareArns=[share["resourceShareArn"]])
    invitation = invitations["resourceShareInvitations"][0]
    check(invitation["status"] == "PENDING", "the peer has a pending invitation")
    accepted = peer_ram.accept_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    check(accepted["resourceShareInvitation"]["status"] == "ACCEPTED", "the peer accepts the invitation")

    peer_service = peer.create_service(name=name("peer-service"))
    expect_error(
        peer,
        "ResourceNotFoundException",
        "a shared network named by its bare id is not found",
        peer.create_service_network_service_association,
        serviceIdentifier=peer_service["id"],
        serviceNetworkIdentifier=shared["id"],
    )
    cross = peer.create_service_network_service_association(
        serviceIdentifier=peer_service["id"], serviceNetworkIdentifier=shared["arn"]
    )
    check(cross["createdBy"] == peer_account, "the peer associates its service with the shared network by ARN")
    seen = owner.get_service_network_service_association(serviceNetworkServiceAssociationIdentifier=cross["id"])
    check(seen["serviceNetworkId"] == shared["id"], "the network owner sees the peer's association")
    check(f":{owner_account}:" in seen["arn"], "the ARN carries the reader's account")
    expect_error(
        outsider,
        "ResourceNotFoundException",
        "an outsider cannot see the association",
        outsider.get_service_network_service_association,
        serviceNetworkServiceAssociationIdentifier=cross["arn"],
    )

    # Clean up: either resource owner may delete (once creation has completed).
    wait_active(owner, cross["id"])
    wait_active(owner, first["id"])
    deleted = owner.delete_service_network_service_association(
        serviceNetworkServiceAssociationIdentifier=cross["id"]
    )
    check(deleted["status"] == "DELETE_IN_PROGRESS", "the network owner deletes the peer's association")
    owner.delete_service_network_service_association(serviceNetworkServiceAssociationIdentifier=first["arn"])
    owner_ram.delete_resource_share(resourceShareArn=share["resourceShareArn"])
    print("all checks passed")


if __name__ == "__main__":
    try:
        main()
    except Mismatch as e:
        print(f"FAIL {e}", file=sys.stderr)
        sys.exit(1)
    except botocore.exceptions.ClientError as e:
        print(f"FAIL unexpected error: {e}", file=sys.stderr)
        sys.exit(1)
    except botocore.exceptions.BotoCoreError as e:
        print(f"FAIL {e}", file=sys.stderr)
        sys.exit(2)
