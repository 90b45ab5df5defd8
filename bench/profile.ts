import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { round } from './common';

/**
 * `--profile`: every child process of the hub runs with `node --cpu-prof` and writes its
 * `<name>.cpuprofile` (V8's CPU profile, JSON) when it exits. Here each is summed into the frames
 * that spent the most time themselves (self time), so that a change can be decided from where the
 * CPU goes rather than from guesses.
 */

/** A function in a profile: what V8 names, the file and 1-based line it starts on. */
export interface ProfileFrame {
  frame: string;
  selfMs: number;
  /** Share of the process's busy time (its samples outside `(idle)`). */
  percent: number;
}

export interface ProcessProfile {
  file: string;
  /** The time the profile covers, and how much of it the process was busy (not idle). */
  sampledMs: number;
  busyMs: number;
  top: ProfileFrame[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The `top` frames of one profile by self time. Frames of the same function (by name, file and line) are summed over the call tree. */
export function summarizeProfile(file: string, top = 15): ProcessProfile {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const keyOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${url.replace(/^file:\/\//, '').replace(`${path.resolve(__dirname, '..')}/`, '')}:${lineNumber + 1}` : '';
    keyOf.set(node.id, `${functionName || '(anonymous)'}${where}`);
  }
  // A sample's time is the delta that follows it (V8 records the gap before the next sample).
  const selfUs = new Map<string, number>();
  let sampledUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const key = keyOf.get(profile.samples[i]) ?? '(unknown)';
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
    sampledUs += delta;
  }
  const busyUs = sampledUs - (selfUs.get('(idle)') ?? 0);
  selfUs.delete('(idle)');
  const frames = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    file,
    sampledMs: round(sampledUs / 1000),
    busyMs: round(busyUs / 1000),
    top: frames.map(([frame, us]) => ({ frame, selfMs: round(us / 1000), percent: busyUs > 0 ? round((100 * us) / busyUs) : 0 })),
  };
}

/**
 * The main thread's profile of every process profiled into `directory` (one directory each, see
 * `profileArgs`), by process name.
 */
export function summarizeProfiles(directory: string, top = 15): Record<string, ProcessProfile> {
  const summaries: Record<string, ProcessProfile> = {};
  for (const name of readdirSync(directory).sort()) {
    const main = readdirSync(path.join(directory, name)).find((file) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(file));
    if (main) summaries[name] = summarizeProfile(path.join(directory, name, main), top);
  }
  return summaries;
}
