import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL } from './support/hub';

const ROOT = path.resolve(__dirname, '..');

/** Starts the hub as `npm start` does, without DATABASE_URL, and waits for its gateway URL. */
function startHub(dataDir: string): Promise<{ url: string; process: ChildProcess }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', AGENCIES_PORT: '0', COMPLAINTS_PORT: '0', ESCALATION_PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.JEST_WORKER_ID;
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /LAPOR! Hub ready: (\S+)/.exec(output);
      if (ready) resolve({ url: ready[1].replace('localhost', '127.0.0.1'), process: child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the hub exited with ${code}:\n${output}`)));
  });
}

function stopHub(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start on the embedded database (no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a submitted complaint across a restart', async () => {
    const first = await startHub(dataDir);
    let trackingId: string;
    try {
      const submitted = await postGraphQL(
        first.url,
        `mutation { submitComplaint(input: { type: INFORMATION_REQUEST, title: "Jadwal posyandu", body: "Kapan jadwal posyandu bulan depan?",
          channel: SMS, regionCode: "52.06", categoryId: "HEALTH" }) { complaint { trackingId addressedAgency { name parent { name } } } } }`,
      );
      expect(submitted.errors).toBeUndefined();
      expect(submitted.data.submitComplaint.complaint.addressedAgency).toEqual({ name: 'Kabupaten Bima', parent: { name: 'Nusa Tenggara Barat' } });
      trackingId = submitted.data.submitComplaint.complaint.trackingId;
    } finally {
      expect(await stopHub(first.process)).toBe(0);
    }

    const second = await startHub(dataDir);
    try {
      const read = await postGraphQL(second.url, `query($t: String!) { complaintByTrackingId(trackingId: $t) { title status } agencies(kind: PROVINCE) { totalCount } }`, {
        t: trackingId,
      });
      expect(read.data).toEqual({ complaintByTrackingId: { title: 'Jadwal posyandu', status: 'SUBMITTED' }, agencies: { totalCount: 38 } });
      const health = await fetch(new URL('/health', second.url));
      expect(health.status).toBe(200);
    } finally {
      expect(await stopHub(second.process)).toBe(0);
    }
  }, 180_000);
});
