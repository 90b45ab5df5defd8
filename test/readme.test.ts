import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerPattern, commandLines, expectedAnswers, fencedBlocks, type FencedBlock } from './support/readme';

const ROOT = path.resolve(__dirname, '..');

/** Commands of the README that a test cannot run, and why; a block of nothing else is not run. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm start': 'installs, and starts the hub that this test starts itself',
  'npm test': 'runs every test, this one included',
};

/** What each section's blocks print, beyond the answers the README shows. */
const CHECKS: Record<string, (output: string[], walkthrough: { trackingId?: string }) => void> = {
  'Try it': (output) => {
    expect(JSON.parse(output.at(-1)!).data.submitComplaint.complaint).toMatchObject({
      status: 'SUBMITTED',
      addressedAgency: { name: 'Kabupaten Bima', parent: { name: 'Nusa Tenggara Barat' } },
    });
  },
  'Walkthrough: a complaint from citizen to closing': (output, walkthrough) => {
    walkthrough.trackingId = JSON.parse(output[0]).data.submitComplaint.complaint.trackingId;
    const complaint = JSON.parse(output.at(-1)!).data.complaintByTrackingId;
    expect(complaint.status).toBe('CLOSED');
    expect(complaint.timeline.map((entry: { action: string; toStatus: string }) => `${entry.action} → ${entry.toStatus}`)).toEqual([
      'SUBMIT → SUBMITTED',
      'VERIFY → VERIFIED',
      'FORWARD → FORWARDED',
      'FOLLOW_UP → FOLLOWED_UP',
      'REPLY_SATISFIED → CLOSED',
    ]);
  },
  'Dashboard and exports': (output, walkthrough) => {
    expect(output[0]).toMatch(/^trackingId,status,type,channel,title,/);
    expect(output).toContainEqual(expect.stringMatching(new RegExp(`^${walkthrough.trackingId},CLOSED,COMPLAINT,SMS,Jembatan ambruk,`)));
    expect(output).toContain('ranking,rank,agencyId,agency,kind,forwarded,closed,completionRate');
  },
};

/** What `npm start` runs: package.json's own script, with its environment and Node's flags as written. */
const START_SCRIPT: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start;

/**
 * `npm start` as a new user runs it (embedded PostgreSQL, no DATABASE_URL); resolves with the
 * address it prints. bash runs the script's one command in its own place, so the child is the hub
 * itself (npm would stand between it and the signals sent below).
 */
function npmStart(env: NodeJS.ProcessEnv): Promise<{ hub: ChildProcess; url: string }> {
  const hub = spawn('bash', ['-c', START_SCRIPT], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /LAPOR! Hub ready: (\S+)/.exec(output);
      if (ready) resolve({ hub, url: ready[1] });
    };
    hub.stdout!.on('data', onData);
    hub.stderr!.on('data', onData);
    hub.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

/** Runs a script as `bash -euo pipefail`, as a user's shell would run the pasted blocks but stopping at the first failure. */
function bash(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const shell = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => shell.once('close', (code) => resolve({ code, stdout, stderr })));
}

const blocks = fencedBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const shellBlocks = blocks.filter((block) => block.lang === 'sh');
const notRun = (block: FencedBlock) => commandLines(block.code).every((command) => command in NOT_RUN);
/** The blocks of one section run as one script, in order: later blocks use what earlier ones set. */
const sections = [...new Set(shellBlocks.filter((block) => !notRun(block)).map((block) => block.section))].map((section) => ({
  section,
  blocks: shellBlocks.filter((block) => block.section === section && !notRun(block)),
}));

describe('README.md', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-readme-'));
  // One environment for the hub and the blocks, as the README asks: the same checkout, DATA_DIR and
  // JWT_SECRET. Port 0: each server gets a free port as it listens (one picked beforehand may be
  // taken by then on a busy machine), and the blocks learn the hub's from what it prints.
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', AGENCIES_PORT: '0', COMPLAINTS_PORT: '0', ESCALATION_PORT: '0', REGISTRY_PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  let started: { hub: ChildProcess; url: string };
  const walkthrough: { trackingId?: string } = {};

  beforeAll(async () => {
    started = await npmStart(env);
    env.HUB = started.url.replace(/\/graphql$/, '');
  }, 180_000);

  afterAll(() => {
    if (started?.hub.exitCode === null) started.hub.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every shell block but the few listed, each of which it finds', () => {
    expect(sections.length).toBeGreaterThan(0);
    // An empty block would count as one of the listed ones.
    for (const block of shellBlocks.filter(notRun)) expect(commandLines(block.code).length).toBeGreaterThan(0);
    const unrun = shellBlocks.filter(notRun).flatMap((block) => commandLines(block.code));
    expect(Object.keys(NOT_RUN).filter((command) => !unrun.includes(command))).toEqual([]);
    // A listed command inside a block that runs would fail there, or run what the test must not.
    const mixed = shellBlocks.filter((block) => !notRun(block) && commandLines(block.code).some((command) => command in NOT_RUN));
    expect(mixed.map((block) => `line ${block.line}`)).toEqual([]);
  });

  it.each(sections)('$section: its blocks run as written and answer as shown', async ({ section, blocks: sectionBlocks }) => {
    const result = await bash(sectionBlocks.map((block) => block.code).join('\n'), env);
    if (result.code !== 0) {
      const lines = sectionBlocks.map((block) => block.line).join(', ');
      throw new Error(`the blocks at line ${lines} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`);
    }
    const output = result.stdout.split(/\r?\n/).filter(Boolean); // CSV rows end with CRLF
    expect(output.filter((text) => text.includes('"errors"'))).toEqual([]);
    const answers = sectionBlocks.flatMap((block) => expectedAnswers(block, blocks[blocks.indexOf(block) + 1]));
    if (answers.length > 0) expect(output).toEqual(answers.map((answer) => expect.stringMatching(answerPattern(answer))));
    CHECKS[section]?.(output, walkthrough);
  }, 120_000);

  it('checks each section it knows about', () => {
    expect(Object.keys(CHECKS).filter((section) => !sections.some((run) => run.section === section))).toEqual([]);
  });

  it('stops the hub on SIGINT with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => started.hub.once('exit', (code) => resolve(code)));
    started.hub.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
