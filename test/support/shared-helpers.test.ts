import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TEST_ROOT = path.resolve(__dirname, '..');

/** Every TypeScript file under test/ that is not a test file itself: the helpers test files import. */
function helperFiles(): string[] {
  return readdirSync(TEST_ROOT, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .sort();
}

describe('test helpers shared by the files of a worker (isolate: false)', () => {
  it('when a helper module is loaded, then it registers no hook of its own (a shared module would register it for the first file only)', () => {
    const files = helperFiles();
    expect(files).toContain(path.join('support', 'stack.ts'));
    const offenders = files.filter((file) =>
      /^(?:beforeAll|afterAll|beforeEach|afterEach)\(/m.test(readFileSync(path.join(TEST_ROOT, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
