import { buildSubgraphSchema } from '@apollo/subgraph';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { parse } from 'graphql';
import type { CheckFindings } from './messages';

function subgraphSchema(sdl: string) {
  return buildSubgraphSchema({ typeDefs: parse(sdl) });
}

/** Every difference between two subgraph SDLs, as `@graphql-inspector/core` sees them. */
export function schemaChanges(previousSdl: string, sdl: string) {
  return diff(subgraphSchema(previousSdl), subgraphSchema(sdl));
}

/**
 * A new version against the previous one: breaking changes are errors unless the publisher allows
 * them (then warnings); dangerous changes are warnings.
 */
export async function versionFindings(previousSdl: string, sdl: string, allowBreakingChanges: boolean): Promise<CheckFindings> {
  const findings: CheckFindings = { errors: [], warnings: [] };
  for (const change of await schemaChanges(previousSdl, sdl)) {
    if (change.criticality.level === CriticalityLevel.Breaking) {
      (allowBreakingChanges ? findings.warnings : findings.errors).push({ code: 'BREAKING_CHANGE', message: change.message });
    } else if (change.criticality.level === CriticalityLevel.Dangerous) {
      findings.warnings.push({ code: 'DANGEROUS_CHANGE', message: change.message });
    }
  }
  return findings;
}

/** The SDL a subgraph serves against the submitted one: the same schema, however printed. */
export async function sdlMismatches(submittedSdl: string, servedSdl: string): Promise<string[]> {
  return (await schemaChanges(submittedSdl, servedSdl)).map((change) => change.message);
}
