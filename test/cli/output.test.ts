import { describe, expect, it } from 'vitest';
import { codeFrom } from '../../src/cli/commands/login';
import { clientCredentialsCachePath, tokenFilePath } from '../../src/cli/paths';
import { formatCell, renderFields, renderTable, truncate } from '../../src/cli/output';

describe('table output', () => {
  it('when values differ in length, then columns are as wide as their widest value and right-aligned where asked', () => {
    const table = renderTable(
      [
        { id: 7, name: 'Short' },
        { id: 12345, name: 'A somewhat longer name' },
      ],
      [
        { header: 'ID', value: (row) => row.id, align: 'right' },
        { header: 'NAME', value: (row) => row.name },
      ],
    );
    expect(table).toBe(
      ['   ID  NAME', '-----  ----------------------', '    7  Short', '12345  A somewhat longer name', ''].join('\n'),
    );
  });

  it('when a value is longer than its column allows, then it is cut with an ellipsis', () => {
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abc', 5)).toBe('abc');
    const table = renderTable(
      [{ name: 'x'.repeat(100) }],
      [{ header: 'NAME', value: (row) => row.name, maxWidth: 10 }],
    );
    expect(table.split('\n')[2]).toBe(`${'x'.repeat(9)}…`);
  });

  it('when a value holds control characters or escape sequences, then they cannot reach the terminal', () => {
    expect(formatCell('evil\u001b[2Jname\nnext')).toBe('evil [2Jname next');
    expect(formatCell(null)).toBe('');
    expect(formatCell({ id: 1 })).toBe('{"id":1}');
  });

  it('when one object is shown, then its fields line up', () => {
    expect(
      renderFields([
        ['id', 1],
        ['login', 'demo@example.com'],
      ]),
    ).toBe('id     1\nlogin  demo@example.com\n');
  });
});

describe('reading the pasted code', () => {
  it('when the code or the whole out-of-band page URL is pasted, then the code is used', () => {
    expect(codeFrom('  abc123  ')).toBe('abc123');
    expect(codeFrom('https://login.procore.com/oauth/authorize/abc%2D123')).toBe('abc-123');
  });

  it('when a redirect URL carrying ?code= is pasted (the out-of-band URI or a local one), then the code is taken from it', () => {
    expect(codeFrom('urn:ietf:wg:oauth:2.0:oob?code=abc%2D123')).toBe('abc-123');
    expect(codeFrom(' http://localhost:8000/callback?state=x&code=Zy9_-w ')).toBe('Zy9_-w');
    expect(codeFrom('https://login.procore.com/oauth/authorize/ignored?code=from-query')).toBe('from-query');
  });
});

describe('where files live', () => {
  it('when PROCORE_TOKEN_FILE is not set, then the token file is under XDG_CONFIG_HOME or ~/.config', () => {
    expect(tokenFilePath({ HOME: '/home/dana' })).toBe('/home/dana/.config/procore-dashboard/tokens.json');
    expect(tokenFilePath({ HOME: '/home/dana', XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/procore-dashboard/tokens.json');
    expect(tokenFilePath({ HOME: '/home/dana', XDG_CONFIG_HOME: 'relative' })).toBe(
      '/home/dana/.config/procore-dashboard/tokens.json',
    );
    expect(tokenFilePath({ PROCORE_TOKEN_FILE: 'my.json' }, '/work')).toBe('/work/my.json');
  });

  it('when the token file is known, then the service-account cache sits next to it (the lock file: test/contract-suites/token-stores.test.ts)', () => {
    expect(clientCredentialsCachePath('/cfg/tokens.json')).toBe('/cfg/tokens.client-credentials.json');
  });
});
