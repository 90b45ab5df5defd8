import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The layout is the architecture: these rules are what a newcomer relies on to find where a
// statement, a setting or a rule lives. Each names the files that break it.
const ROOT = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'generated') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file);
const production = ['lib/src', 'gateway/src', 'subgraphs', 'scripts']
  .flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
  .filter((file) => !file.includes(`${path.sep}test${path.sep}`));

// A statement in a string or template: the start of every kind of SQL the services send.
const SQL_TEXT = /['`]\s*(select\s[\s\S]*?\sfrom\s|insert\s+into\s|update\s+[\w."]+\s+set\s|delete\s+from\s|with\s+\w+\s+as\s*\(|create\s+(unique\s+)?(table|index)\s)/i;
const EXECUTES_SQL = /\.execute\s*[<(]/;

/** A file's code without its comments, which may well quote SQL to say why. */
const code = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('the layout', () => {
  it('keeps every SQL statement in a repository (or a migration, a seeder, or the SQL plumbing in lib)', () => {
    const allowed = (file: string) =>
      /-repository\.ts$/.test(file) ||
      /[\\/]migrations[\\/]/.test(file) ||
      /[\\/]seeders[\\/]/.test(file) ||
      /^lib[\\/]src[\\/](database|db|embedded|jobs|sql|per-owner|subgraph|hub-events)/.test(relative(file));
    const offenders = production.filter((file) => !allowed(file) && (SQL_TEXT.test(code(file)) || EXECUTES_SQL.test(code(file))));
    expect(offenders.map(relative)).toEqual([]);
  });

  it('reads the environment only in configuration modules and entry points', () => {
    const allowed = (file: string) => /[\\/](config|main|start|token|logger)\.ts$/.test(file);
    const offenders = production.filter((file) => !allowed(file) && /process\.env/.test(code(file)));
    expect(offenders.map(relative)).toEqual([]);
  });

  it('keeps subgraphs apart: none imports another, lib imports none', () => {
    const names = readdirSync(path.join(ROOT, 'subgraphs'));
    const offenders = production.filter((file) => {
      const text = readFileSync(file, 'utf8');
      const own = /subgraphs[\\/]([^\\/]+)/.exec(relative(file))?.[1];
      return names.some((name) => name !== own && new RegExp(`@lapor-hub/${name}\\b|subgraphs/${name}/`).test(text)) && relative(file).startsWith('subgraphs');
    });
    const libOffenders = production.filter((file) => relative(file).startsWith('lib') && /@lapor-hub\/(agencies|complaints|escalation|webhooks|gateway)/.test(readFileSync(file, 'utf8')));
    expect([...offenders, ...libOffenders].map(relative)).toEqual([]);
  });

  it('types resolvers from the generated SDL types, not from Apollo internals', () => {
    const offenders = production.filter((file) => readFileSync(file, 'utf8').includes('@apollo/subgraph/dist/schema-helper') && !relative(file).startsWith('lib'));
    expect(offenders.map(relative)).toEqual([]);
  });
});
