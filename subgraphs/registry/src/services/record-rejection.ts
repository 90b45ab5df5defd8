import { z } from 'zod';
import { lineText, multilineText, parseInput } from '@lapor-hub/lib';
import type { RegistryContext } from '../context';
import { authorizeGateway } from '../domain/access';

const rejectionInput = z.object({
  version: z.number().int().min(1),
  gateway: lineText(200),
  reason: multilineText(4000),
});

/** A gateway kept a supergraph version out (its health check failed): the registry keeps why. */
export async function recordSupergraphRejection(context: RegistryContext, raw: unknown): Promise<boolean> {
  authorizeGateway(context.viewer);
  const input = parseInput(rejectionInput, raw);
  await context.registry.addRejection(input.version, input.gateway, input.reason);
  return true;
}
