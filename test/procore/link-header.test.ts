import { describe, expect, it } from 'vitest';
import { findLink, parseLinkHeader } from '../../src/procore/link-header';

describe('parseLinkHeader', () => {
  it('when Procore sends first, prev, next and last links, then each is read with its relation', () => {
    const header =
      '<https://api.procore.com/rest/v1.0/projects?company_id=1&page=1&per_page=100>; rel="first", ' +
      '<https://api.procore.com/rest/v1.0/projects?company_id=1&page=1&per_page=100>; rel="prev", ' +
      '<https://api.procore.com/rest/v1.0/projects?company_id=1&page=3&per_page=100>; rel="next", ' +
      '<https://api.procore.com/rest/v1.0/projects?company_id=1&page=7&per_page=100>; rel="last"';
    const links = parseLinkHeader(header);
    expect(links.map((l) => l.rel)).toEqual([['first'], ['prev'], ['next'], ['last']]);
    expect(findLink(header, 'next')).toBe(
      'https://api.procore.com/rest/v1.0/projects?company_id=1&page=3&per_page=100',
    );
    expect(findLink(header, 'last')).toContain('page=7');
  });

  it('when the header is missing or empty, then there are no links', () => {
    expect(parseLinkHeader(null)).toEqual([]);
    expect(parseLinkHeader(undefined)).toEqual([]);
    expect(parseLinkHeader('')).toEqual([]);
    expect(findLink(null, 'next')).toBeUndefined();
  });

  it('when a URL or a quoted parameter contains commas and semicolons, then they do not split the link', () => {
    const header = '<https://x.test/a?filters[id][]=1,2;3>; rel="next"; title="a, b; c", <https://x.test/z>; rel=last';
    const links = parseLinkHeader(header);
    expect(links).toHaveLength(2);
    expect(links[0]).toEqual({
      url: 'https://x.test/a?filters[id][]=1,2;3',
      rel: ['next'],
      params: { rel: 'next', title: 'a, b; c' },
    });
    expect(links[1]?.rel).toEqual(['last']);
  });

  it('when rel lists several relations in any case, then every one is found, lower-cased', () => {
    const links = parseLinkHeader('<https://x.test/p2>; REL="Next Last"');
    expect(links[0]?.rel).toEqual(['next', 'last']);
    expect(findLink('<https://x.test/p2>; REL="Next Last"', 'last')).toBe('https://x.test/p2');
  });

  it('when the same parameter appears twice, then the first occurrence wins (RFC 8288)', () => {
    expect(parseLinkHeader('<https://x.test/a>; rel="next"; rel="prev"')[0]?.rel).toEqual(['next']);
  });

  it('when a link is relative and a base is given, then it is resolved against the base', () => {
    expect(
      findLink('</rest/v1.0/projects?page=2>; rel="next"', 'next', 'https://api.procore.com/rest/v1.0/projects?page=1'),
    ).toBe('https://api.procore.com/rest/v1.0/projects?page=2');
  });

  it('when one link is malformed, then it is skipped and the others are still read', () => {
    const links = parseLinkHeader('garbage, <https://x.test/a> junk; rel="prev", <https://x.test/b>; rel="next"');
    expect(links.map((l) => l.url)).toEqual(['https://x.test/b']);
  });

  it('when quoted values hold escaped quotes and spaces surround the equals sign, then the value is unescaped', () => {
    const [link] = parseLinkHeader('<https://x.test/a> ; rel = "next" ; title="say \\"hi\\""');
    expect(link?.params).toEqual({ rel: 'next', title: 'say "hi"' });
  });
});
