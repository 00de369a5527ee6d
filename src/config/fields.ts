import { z } from 'zod';

/** Zod field builders shared by every configuration reader, so the messages are the same everywhere. */

export const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));

export const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    }, `${name} must be an absolute http(s) URL, e.g. https://dashboard.example.com`)
    .transform((value) => value.replace(/\/+$/, ''));

/** Empty strings mean "not set" (docker-compose passes `VAR=` for unset variables). */
export function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

/** One readable problem per zod issue, naming the variable. */
export function problemsFrom(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join('.');
    return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
  });
}
