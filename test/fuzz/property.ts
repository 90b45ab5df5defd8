/**
 * Running a property: fast-check over an arbitrary (runs scaled by FUZZ_RUNS, seeded by FUZZ_SEED),
 * and one lifecycle mutation sent, checked by the oracle and tracked in the world's book.
 */
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { authorization, materialize, type AuthPlan, type BuildContext } from './arbitraries';
import { check, expectThat, REPORT_ALL, send, UUID, type Sent } from './oracle';
import type { FuzzWorld, Status } from './world';

const RUN_SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const runs = (n: number) => Math.max(1, Math.round(n * RUN_SCALE));

const FINDINGS_FILE = join(tmpdir(), 'lapor-fuzz-findings.jsonl');

export async function fuzz<T>(world: FuzzWorld, arbitrary: fc.Arbitrary<T>, numRuns: number, run: (value: T) => Promise<void>): Promise<void> {
  const property = REPORT_ALL
    ? async (value: T) => {
        try {
          await run(value);
        } catch (error) {
          const [why, request, response] = (error as Error).message.split('\n');
          const key = `${why} | ${request?.split(' ')[1]} | ${response?.slice(0, 200)}`;
          const found = `${why}\n  ${request}\n  ${response?.slice(0, 400)}`;
          // Keep the shortest request of each kind of failure.
          if (!world.findings.has(key) || world.findings.get(key)!.length > found.length) world.findings.set(key, found);
          appendFileSync(FINDINGS_FILE, `${JSON.stringify({ why, request, response: response?.slice(0, 400) })}\n`);
        }
      }
    : run;
  await fc.assert(fc.asyncProperty(arbitrary, property), { numRuns: runs(numRuns), seed: SEED });
}

export const COMPLAINT = 'id trackingId status version';

/** Updates the tracked complaint from a successful lifecycle answer. */
export function track(world: FuzzWorld, complaint: { id: string; status: Status; version: number; assignedAgency?: { id: string } | null }): void {
  const tracked = world.book.complaints.get(complaint.id);
  if (!tracked) throw new Error(`a complaint the test did not create: ${complaint.id}`);
  tracked.status = complaint.status;
  tracked.version = complaint.version;
  if (complaint.assignedAgency) tracked.holder = complaint.assignedAgency.id;
}

export function expectStep(world: FuzzWorld, data: any, status: Status, input: { version?: unknown }): void {
  const complaint = data.complaint;
  expectThat(complaint && UUID.test(complaint.id), 'complaint.id is a UUID');
  expectThat(complaint.status === status, `status ${complaint.status}, expected ${status}`);
  const before = typeof input.version === 'number' ? input.version : world.book.complaints.get(complaint.id)?.version;
  if (typeof input.version === 'number') expectThat(complaint.version === before! + 1, `version ${complaint.version} after ${before}`);
  else expectThat(before !== undefined && complaint.version > before, `version ${complaint.version} after ${before}`);
}

export async function lifecycleCall(
  world: FuzzWorld,
  operation: string,
  inputType: string,
  selection: string,
  plan: { input: unknown; auth: AuthPlan },
  onSuccess: (data: any, context: BuildContext, input: any) => void,
): Promise<void> {
  const context: BuildContext = { world };
  const materialized = materialize(plan.input, context);
  const variables: Record<string, unknown> = materialized === undefined ? {} : { input: materialized };
  const sent: Sent = {
    operation,
    query: `mutation($input: ${inputType}!) { ${operation}(input: $input) { ${selection} } }`,
    variables,
    authorization: await authorization(plan.auth, context),
  };
  check(world, sent, await send(world, sent), operation, (data) => onSuccess(data, context, variables.input));
}
