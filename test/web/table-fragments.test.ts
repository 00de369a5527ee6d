import { describe, expect, it } from 'vitest';
import { TableFragments } from '../../src/web/projects/table-fragments';

describe('rendered project tables kept for reuse', () => {
  it('when the same list copy and query are shown again, then the table is rendered once', async () => {
    const tables = new TableFragments();
    let renders = 0;
    const render = async (): Promise<string> => `<table>${(renders += 1)}</table>`;
    const key = TableFragments.key('pd:catalog:projects:1:2:Active', 1_000, '?company_id=2');
    expect(await tables.get(key, render)).toBe('<table>1</table>');
    expect(await tables.get(key, render)).toBe('<table>1</table>');
    expect(renders).toBe(1);
  });

  it('when the list is read again (a new fetchedAt) or the query differs, then a new table is rendered', async () => {
    const tables = new TableFragments();
    const list = 'pd:catalog:projects:1:2:Active';
    expect(await tables.get(TableFragments.key(list, 1_000, '?company_id=2'), async () => 'old copy')).toBe('old copy');
    expect(await tables.get(TableFragments.key(list, 2_000, '?company_id=2'), async () => 'new copy')).toBe('new copy');
    expect(await tables.get(TableFragments.key(list, 2_000, '?company_id=2&page=2'), async () => 'page 2')).toBe('page 2');
    expect(await tables.get(TableFragments.key('pd:catalog:projects:9:2:Active', 2_000, '?company_id=2'), async () => 'another person')).toBe('another person');
  });

  it('when the kept tables would exceed the byte budget, then the least recently used ones go first', async () => {
    const tables = new TableFragments(30);
    await tables.get('a', async () => 'a'.repeat(10));
    await tables.get('b', async () => 'b'.repeat(10));
    await tables.get('a', async () => 'never');
    await tables.get('c', async () => 'c'.repeat(15));
    expect(tables.size).toBe(2);
    expect(await tables.get('a', async () => 'rendered again')).toBe('a'.repeat(10));
    expect(await tables.get('b', async () => 'rendered again')).toBe('rendered again');
  });

  it('when a table is larger than the whole budget, then it is shown but not kept', async () => {
    const tables = new TableFragments(5);
    expect(await tables.get('big', async () => 'x'.repeat(6))).toBe('xxxxxx');
    expect(tables.size).toBe(0);
  });
});
