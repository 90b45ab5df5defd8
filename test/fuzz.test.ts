/**
 * Hardening: a property-based fuzz test of every public mutation (and two paged queries) through the
 * gateway. Thousands of random and hostile inputs — huge strings, control characters, mixed
 * scripts, SQL and HTML fragments, wrong types, out-of-range pages, bad ids, cursors, enums and
 * tokens — and for each answer: an allowed HTTP status, either a valid result or errors that all
 * carry a public code (never INTERNAL_SERVER_ERROR), and no stack trace or SQL in the raw text.
 * At the end the databases must hold exactly what the accepted calls created.
 *
 * Reproduce a failure with the seed fast-check prints: `FUZZ_SEED=<seed> npx jest test/fuzz.test.ts`.
 * Scale the number of runs with `FUZZ_RUNS=<factor>` (default 1: about 2,900 requests). Explore with
 * `FUZZ_REPORT_ALL=1`: every failing request is listed (and appended to
 * $TMPDIR/lapor-fuzz-findings.jsonl) instead of stopping at the first.
 *
 * A failure is a product bug to fix, not an input to leave out: pin its exact input in the
 * regressions (`test/fuzz/regressions.ts`) once fixed. Should one have to wait, pin it there as
 * `it.failing` with a `// BUG:` comment and steer only that input away from the property, saying so.
 *
 * This file starts the one hub and lists the properties in the order they run: each picks real ids
 * from what the earlier ones created. The pieces live in `test/fuzz/`: `arbitraries.ts` (what is
 * sent), `oracle.ts` (what every answer must be), `property.ts` (running one), `world.ts` and
 * `setup.ts` (the hub and what the test knows about it), `areas/` (the properties of each area)
 * and `regressions.ts` (the exact inputs of past findings).
 */
import * as agencies from './fuzz/areas/agencies';
import * as calendar from './fuzz/areas/calendar';
import * as complaints from './fuzz/areas/complaints';
import * as escalation from './fuzz/areas/escalation';
import * as inbox from './fuzz/areas/inbox';
import * as storage from './fuzz/areas/storage';
import * as transport from './fuzz/areas/transport';
import { regressions } from './fuzz/regressions';
import { startWorld } from './fuzz/setup';
import { FuzzWorld } from './fuzz/world';

jest.setTimeout(10 * 60_000);

const world = new FuzzWorld();

beforeAll(() => startWorld(world));

afterAll(async () => {
  await world.hub?.stop();
});

describe('fuzzing every mutation and the paged queries', () => {
  agencies.agencyListing(world);
  agencies.createAgencyUnit(world);
  calendar.collectiveLeaveDays(world);
  complaints.submitComplaint(world);
  complaints.verifyComplaint(world);
  complaints.forwardComplaint(world);
  complaints.postFollowUp(world);
  complaints.replyToComplaint(world);
  escalation.escalateComplaint(world);
  escalation.respondToEscalation(world);
  complaints.rejectComplaint(world);
  inbox.assignedComplaints(world);
  transport.unparsableBodies(world);
  storage.storedExactly(world);
});

describe('findings of the fuzzer, fixed: regressions', () => regressions(world));
