import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const requireFromHere = createRequire(__filename);

/** axe-core's violations on the page (needs a context with `bypassCSP: true`: axe is injected as a script). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: requireFromHere.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`,
  );
}
