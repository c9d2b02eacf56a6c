#!/usr/bin/env node
// The SDK scenario with the AWS SDK for JavaScript v3 (@aws-sdk/client-vpc-lattice): what the SDK
// sends is recorded by the reference endpoint, what it surfaces is written to a client report;
// `lattice-conformance check-client` judges both. The same scenario, call names and report as
// scripts/sdk/boto3_scenario.py.
//
// Usage:
//     npm ci --prefix scripts/sdk/js
//     lattice-conformance serve --port 8471 --record js.jsonl --fault sdk-scenario &
//     node scripts/sdk/js/scenario.mjs http://127.0.0.1:8471 --report js-result.json
//     lattice-conformance check-client js.jsonl --client-report js-result.json
//
// The scenario (Create calls in this order; the fault plan `sdk-scenario` counts every Create
// request, retries included, so it needs a freshly started endpoint):
//     1 no-token       a call without a token                         -> 200
//     2 with-token     a call with a caller-supplied token            -> 200
//     3 retried-500    answered 500 once (create#3), retried           -> 200
//     4 duplicate      the pair of call 1 again                        -> 409 ConflictException
//     5 retried-429    answered 429 once (create#6), retried           -> 200
//     6 throttled      retries off, answered 429 (create#8)            -> ThrottlingException
//     7 unknown-error  answered 400 SomethingNewException (create#9)   -> a generic error
//
// Credentials: the reference endpoint's owner test principal (as `serve` prints it), or
// LATTICE_OWNER=ACCOUNT:KEY:SECRET; region LATTICE_REGION (default us-east-1).

import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

import {
  AccessDeniedException,
  ConflictException,
  CreateServiceCommand,
  CreateServiceNetworkCommand,
  CreateServiceNetworkServiceAssociationCommand,
  InternalServerException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
  VPCLatticeClient,
  VPCLatticeServiceException,
} from "@aws-sdk/client-vpc-lattice";

const OWNER = "111122223333:AKIDLATTICEOWNER0001:ownerSecretKey0000000000000000000000000001";
// A caller-supplied token with upper case and symbols: it must arrive unchanged.
const SUPPLIED_TOKEN = "Lattice-SDK-check_0001~";
// Members a surfaced error may carry, by their model names.
const ERROR_MEMBERS = ["resourceId", "resourceType", "retryAfterSeconds", "serviceCode", "quotaCode", "reason"];
// The exceptions CreateServiceNetworkServiceAssociation models: an error of one of these classes
// is surfaced by its class; anything else the SDK throws as a service error is a generic one.
const MODELLED = [
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
];

function client(url, region, key, secret, attempts) {
  return new VPCLatticeClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: key, secretAccessKey: secret },
    retryMode: "standard",
    maxAttempts: attempts,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 20000 },
  });
}

/** What the SDK surfaced: the modelled exception class (or the code of a generic service error)
 * and the modelled members it parsed. */
function surfaced(error) {
  const modelled = MODELLED.find((cls) => error instanceof cls);
  const kind = error.constructor?.name ?? typeof error;
  const out = { type: modelled ? modelled.name : error.name, class: kind, code: error.name };
  out.message = error.message ?? null;
  for (const member of ERROR_MEMBERS) {
    if (error[member] !== undefined) {
      out[member] = error[member];
    }
  }
  return out;
}

async function call(lattice, name, suppliedToken, params) {
  const input = { ...params };
  if (suppliedToken !== null) {
    input.clientToken = suppliedToken;
  }
  const entry = { name, supplied_token: suppliedToken };
  try {
    const answer = await lattice.send(new CreateServiceNetworkServiceAssociationCommand(input));
    Object.assign(entry, { result: "ok", id: answer.id ?? null });
  } catch (e) {
    if (e instanceof VPCLatticeServiceException) {
      Object.assign(entry, { result: "error", error: surfaced(e) });
    } else {
      // anything but a service error is a crash of the SDK
      Object.assign(entry, { result: "crash", crash: `${e?.name ?? typeof e}: ${e?.message ?? e}` });
    }
  }
  const shown = entry.error ?? entry.id ?? entry.crash;
  console.log(`${name.padEnd(14)} ${entry.result.padEnd(6)} ${JSON.stringify(shown)}`);
  return entry;
}

function version(pkg) {
  const file = new URL(`./node_modules/${pkg}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")).version;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      report: { type: "string" },
      region: { type: "string", default: process.env.LATTICE_REGION ?? "us-east-1" },
    },
  });
  if (!values.report) {
    console.error("usage: node scenario.mjs [URL] --report FILE [--region REGION]");
    return 2;
  }
  const url = positionals[0] ?? process.env.LATTICE_ENDPOINT ?? "http://127.0.0.1:8471";
  // ACCOUNT:KEY:SECRET, split as Python's split(":", 2): the secret may hold colons.
  const [, key, ...rest] = (process.env.LATTICE_OWNER ?? OWNER).split(":");
  const secret = rest.join(":");

  const lattice = client(url, values.region, key, secret, 3);
  const noRetries = client(url, values.region, key, secret, 1);

  const run = randomUUID().replaceAll("-", "").slice(0, 8);
  const network = (await lattice.send(new CreateServiceNetworkCommand({ name: `sdk-net-${run}` }))).id;
  const services = [];
  for (let i = 1; i <= 6; i++) {
    services.push((await lattice.send(new CreateServiceCommand({ name: `sdk-svc-${i}-${run}` }))).id);
  }
  const pair = (i) => ({ serviceIdentifier: services[i - 1], serviceNetworkIdentifier: network });

  const calls = [
    await call(lattice, "no-token", null, pair(1)),
    await call(lattice, "with-token", SUPPLIED_TOKEN, pair(2)),
    await call(lattice, "retried-500", null, pair(3)),
    await call(lattice, "duplicate", null, pair(1)),
    await call(lattice, "retried-429", null, pair(4)),
    await call(noRetries, "throttled", null, pair(5)),
    await call(lattice, "unknown-error", null, pair(6)),
  ];
  const report = {
    client:
      `@aws-sdk/client-vpc-lattice ${version("@aws-sdk/client-vpc-lattice")} ` +
      `(@aws-sdk/core ${version("@aws-sdk/core")}, @smithy/core ${version("@smithy/core")}, node ${process.versions.node})`,
    calls,
  };
  writeFileSync(values.report, JSON.stringify(report, null, 2));
  console.log(`wrote ${values.report}: ${report.client}, ${calls.length} Create calls`);
  return 0;
}

process.exitCode = await main();
