import { describe, expect, it } from 'vitest';
import { ListingFragments } from '../../src/web/projects/listing-fragments';

const text = (bytes: Buffer): string => bytes.toString('utf8');

describe('rendered listing sections kept for reuse', () => {
  it('when the same list copy and query are shown again, then the section is rendered once and kept as UTF-8 bytes', async () => {
    const fragments = new ListingFragments();
    let renders = 0;
    const render = (): Promise<string> => Promise.resolve(`<table>${(renders += 1)} – Zoë</table>`);
    const key = ListingFragments.key('pd:catalog:projects:1:2:Active', 1_000, 'Acme', '?company_id=2');
    expect(text(await fragments.get(key, render))).toBe('<table>1 – Zoë</table>');
    const again = await fragments.get(key, render);
    expect(text(again)).toBe('<table>1 – Zoë</table>');
    expect(again.length).toBe(Buffer.byteLength('<table>1 – Zoë</table>'));
    expect(renders).toBe(1);
  });

  it('when the list is read again (a new fetchedAt), the company is renamed or the query differs, then a new section is rendered', async () => {
    const fragments = new ListingFragments();
    const list = 'pd:catalog:projects:1:2:Active';
    expect(
      text(
        await fragments.get(ListingFragments.key(list, 1_000, 'Acme', '?company_id=2'), () =>
          Promise.resolve('old copy'),
        ),
      ),
    ).toBe('old copy');
    expect(
      text(
        await fragments.get(ListingFragments.key(list, 2_000, 'Acme', '?company_id=2'), () =>
          Promise.resolve('new copy'),
        ),
      ),
    ).toBe('new copy');
    expect(
      text(
        await fragments.get(ListingFragments.key(list, 2_000, 'Acme Inc', '?company_id=2'), () =>
          Promise.resolve('renamed'),
        ),
      ),
    ).toBe('renamed');
    expect(
      text(
        await fragments.get(ListingFragments.key(list, 2_000, 'Acme', '?company_id=2&page=2'), () =>
          Promise.resolve('page 2'),
        ),
      ),
    ).toBe('page 2');
    expect(
      text(
        await fragments.get(
          ListingFragments.key('pd:catalog:projects:9:2:Active', 2_000, 'Acme', '?company_id=2'),
          () => Promise.resolve('another person'),
        ),
      ),
    ).toBe('another person');
  });

  it('when the kept sections would exceed the byte budget, then the least recently used ones go first', async () => {
    const fragments = new ListingFragments(30);
    await fragments.get('a', () => Promise.resolve('a'.repeat(10)));
    await fragments.get('b', () => Promise.resolve('b'.repeat(10)));
    await fragments.get('a', () => Promise.resolve('never'));
    await fragments.get('c', () => Promise.resolve('c'.repeat(15)));
    expect(fragments.size).toBe(2);
    expect(text(await fragments.get('a', () => Promise.resolve('rendered again')))).toBe('a'.repeat(10));
    expect(text(await fragments.get('b', () => Promise.resolve('rendered again')))).toBe('rendered again');
  });

  it('when a section is larger than the whole budget, then it is shown but not kept', async () => {
    const fragments = new ListingFragments(5);
    expect(text(await fragments.get('big', () => Promise.resolve('x'.repeat(6))))).toBe('xxxxxx');
    expect(fragments.size).toBe(0);
  });
});
