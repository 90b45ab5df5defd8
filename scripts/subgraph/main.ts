import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

// `npm run subgraph -- check|publish|remove --agency ID --namespace NS [--url URL --schema FILE]
// [--allow-breaking-changes]` drives the hub's schema registry through the gateway at `$HUB`
// (default http://localhost:4000), as the officer whose token is in `LAPOR_TOKEN`, and prints
// the checks as a schema CLI would. Exit status: 0 when the registry took it, 1 when it refused,
// 2 for a usage mistake.
const USAGE = [
  'usage: npm run subgraph -- check|publish --agency <agency id> --namespace <namespace> --url <subgraph URL> --schema <SDL file> [--allow-breaking-changes]',
  '       npm run subgraph -- remove --agency <agency id> --namespace <namespace>',
  '  the hub: $HUB (default http://localhost:4000); the token: $LAPOR_TOKEN (a node admin or the national admin)',
].join('\n');

const RESULT = 'ok errors { code message } warnings { code message }';
const OPERATIONS = {
  check: `mutation Check($input: NodeSubgraphInput!) { result: checkNodeSubgraph(input: $input) { ${RESULT} } }`,
  publish: `mutation Publish($input: NodeSubgraphInput!) { result: publishNodeSubgraph(input: $input) { ${RESULT} subgraph { version } supergraphVersion } }`,
  remove: `mutation Remove($input: RemoveNodeSubgraphInput!) { result: removeNodeSubgraph(input: $input) { namespace supergraphVersion } }`,
};
type Command = keyof typeof OPERATIONS;

interface Message {
  code: string;
  message: string;
}

interface Answer {
  data?: { result: { ok?: boolean; errors?: Message[]; warnings?: Message[]; subgraph?: { version: number } | null; supergraphVersion: number } } | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The findings as lines: errors first, then warnings, each with its code. */
function findingLines(result: { errors?: Message[]; warnings?: Message[] }): string[] {
  return [
    ...(result.errors ?? []).map((error) => `  ✖ [${error.code}] ${error.message}`),
    ...(result.warnings ?? []).map((warning) => `  ⚠ [${warning.code}] ${warning.message}`),
  ];
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: Record<string, { type: 'string' | 'boolean' }>; allowPositionals: true }>>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { agency: { type: 'string' }, namespace: { type: 'string' }, url: { type: 'string' }, schema: { type: 'string' }, 'allow-breaking-changes': { type: 'boolean' } },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const [command, ...extra] = parsed.positionals;
  if (!command || !(command in OPERATIONS) || extra.length > 0) usage(command ? `unknown command ${[command, ...extra].join(' ')}` : 'a command is required');
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const option = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : usage(`--${name} is required`));
  const token = process.env.LAPOR_TOKEN?.trim() || usage('LAPOR_TOKEN must hold an officer token (npm run token -- --role AGENCY_ADMIN --agency <node>)');
  const base = { agencyId: option('agency'), namespace: option('namespace') };
  const input =
    command === 'remove'
      ? base
      : { ...base, url: option('url'), sdl: readFileSync(option('schema'), 'utf8'), allowBreakingChanges: values['allow-breaking-changes'] === true };

  const hub = (process.env.HUB || 'http://localhost:4000').replace(/\/+$/, '');
  const response = await fetch(`${hub}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: OPERATIONS[command as Command], variables: { input } }),
  });
  const answer = (await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status} without a GraphQL answer` }] }))) as Answer;
  const subject = `${base.namespace} (${base.agencyId})`;
  if (answer.errors?.length || !answer.data) {
    for (const error of answer.errors ?? []) {
      const field = error.extensions?.field ? ` (${error.extensions.field})` : '';
      console.error(`✖ ${command} ${subject}: ${error.extensions?.code ?? 'ERROR'}${field}: ${error.message}`);
    }
    return 1;
  }
  const result = answer.data.result;
  if (command === 'remove') {
    console.log(`✔ removed ${subject}; the hub now serves supergraph version ${result.supergraphVersion}`);
    return 0;
  }
  const counts = `${plural(result.errors?.length ?? 0, 'error')}, ${plural(result.warnings?.length ?? 0, 'warning')}`;
  if (!result.ok) {
    console.log(`✖ ${command} ${subject} refused (${counts})`);
  } else if (command === 'check') {
    console.log(`✔ check ${subject} passed (${counts}); nothing was changed`);
  } else {
    console.log(`✔ published ${subject} version ${result.subgraph!.version} (${counts}); the hub now serves supergraph version ${result.supergraphVersion}`);
  }
  for (const line of findingLines(result)) console.log(line);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`✖ ${error.message}`);
    process.exit(1);
  },
);
