import { z } from 'zod';

/**
 * A process's configuration, read once at start from the environment and passed in from there:
 * nothing deeper reads `process.env`. Every invalid variable is named in one error, so a
 * misconfigured replica refuses to start instead of running with a default nobody chose.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  // An empty variable is an unset one (`FOO= npm start`), as a shell user means it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  throw new Error(`Invalid configuration: ${problems.join('; ')}`);
}

/** An integer variable: `min` and above (a port, a limit), else the default when unset. */
export const envInteger = (fallback: number, min = 0) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`))
    .default(fallback);

/** `true` or `false`, else the default when unset. */
export const envBoolean = (fallback: boolean) =>
  z
    .enum(['true', 'false'], 'must be true or false')
    .transform((value) => value === 'true')
    .default(fallback);
