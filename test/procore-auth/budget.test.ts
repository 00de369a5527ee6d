import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const FOLDER = path.join(ROOT, 'src', 'procore-auth');

/** The folder's files and every local file they import, directly or not (type imports too). */
function folderAndImports(): Map<string, number> {
  const lines = new Map<string, number>();
  const pending = readdirSync(FOLDER).map((name) => path.join(FOLDER, name));
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (lines.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    lines.set(file, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
    for (const [, spec] of text.matchAll(/(?:from|import) '(\.[^']+)'/g)) {
      const target = path.resolve(path.dirname(file), spec!);
      pending.push(
        target.endsWith('.ts')
          ? target
          : readdirSync(path.dirname(target)).includes(`${path.basename(target)}.ts`)
            ? `${target}.ts`
            : path.join(target, 'index.ts'),
      );
    }
  }
  return lines;
}

describe('src/procore-auth can be lifted out', () => {
  it('when its files and everything they import are counted, then they stay within 1,600 lines', () => {
    const lines = folderAndImports();
    const total = [...lines.values()].reduce((sum, count) => sum + count, 0);
    expect(
      total,
      [...lines].map(([file, count]) => `${count} ${path.relative(ROOT, file)}`).join('\n'),
    ).toBeLessThanOrEqual(1_600);
  });

  it('when its imports are followed, then they reach only the folder itself and the Procore client’s error types, token-set types and capped body reader', () => {
    const outside = [...folderAndImports().keys()]
      .map((file) => path.relative(ROOT, file))
      .filter((file) => !file.startsWith(`src${path.sep}procore-auth${path.sep}`));
    expect(outside.sort()).toEqual(
      ['body.ts', 'errors.ts', 'token-set.ts'].map((name) => path.join('src', 'procore', name)),
    );
  });
});
