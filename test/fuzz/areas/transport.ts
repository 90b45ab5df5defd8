/** What reaches the gateway before GraphQL: bodies over the size limit or not JSON at all. */
import { type Answer, check, send, type Sent } from '../oracle';
import type { FuzzWorld } from '../world';

/** Bodies the gateway cannot take as GraphQL. */
export function unparsableBodies(world: FuzzWorld): void {
  it('answers bodies over the limit or not JSON at all with a coded error, never an HTML stack page', async () => {
    const submit = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`;
    // 200k NUL characters: 1.2 MB once escaped in JSON, over the gateway's 1 MiB limit.
    const oversized: Sent = { operation: 'submitComplaint', query: submit, variables: { input: { type: 'COMPLAINT', title: '\u0000'.repeat(200_000), body: 'x', channel: 'WEB' } } };
    const answer = await send(world, oversized);
    expect(answer.status).toBe(413);
    check(world, oversized, answer, 'submitComplaint', () => undefined);
    for (const body of ['{"query": "{ categories { id } }"', 'not json', '[]', '{"query": 42}', '{"query": "{ categories { id } }", "variables": "x"}']) {
      const response = await fetch(world.hub.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const raw: Answer = { status: response.status, text: await response.text(), body: undefined };
      try {
        raw.body = JSON.parse(raw.text);
      } catch {
        // checked below: not JSON is a failure
      }
      world.stats.requests++;
      check(world, { operation: 'raw', query: body, variables: {} }, raw, 'categories', () => undefined, true);
    }
  });
}
