import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config';
import { FIXED_BY_COMPOSE, fromDotEnv, NOT_APPLICABLE, read } from './compose-file';

const readme = read('README.md');
const production = read('docs/production.md');

/** The text from a `## title` heading to the next `## ` heading. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** Upper-case names in backticks (`NAME` or `NAME=value`). */
function variableNames(text: string): string[] {
  return [...text.matchAll(/`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`/g)].map((match) => match[1]!);
}

/** The names in the first cell of every row of the section's variable table. */
function tableVariables(text: string): string[] {
  const rows = text.split('\n').filter((line) => /^\|\s*`[A-Z]/.test(line));
  return rows.flatMap((row) => variableNames(row.split('|')[1]!));
}

/** The bullet that starts with `- **label`, up to the next bullet or blank line. */
function bullet(text: string, label: string): string {
  const match = new RegExp(`\\n- \\*\\*${label}[\\s\\S]*?(?=\\n- |\\n\\n)`).exec(text);
  expect(match, label).not.toBeNull();
  return match![0];
}

describe('configuration docs against src/config', () => {
  it("when the app reads a variable, then the README's Configuration table lists it exactly once, and lists nothing else", () => {
    const listed = tableVariables(section(readme, 'Configuration'));
    expect([...listed].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('when docs/production.md talks about variables, then it links to that one table instead of keeping a second one', () => {
    const part = section(production, 'Configuration variables for running in production');
    expect(part).toContain('](../README.md#configuration)');
    expect(production).not.toMatch(/^\|\s*variable\s*\|/m);
  });

  it('when docs/production.md says what the compose setup fixes and what it takes from .env, then that matches docker-compose.yml', () => {
    const part = section(production, 'Configuration variables for running in production');
    expect(variableNames(bullet(part, 'Fixed by')).sort()).toEqual([...FIXED_BY_COMPOSE].sort());
    const fromEnv = [...variableNames(bullet(part, 'Required in')), ...variableNames(bullet(part, 'Optional in'))];
    expect(fromEnv.sort()).toEqual(fromDotEnv.map(([name]) => name).sort());
    expect(variableNames(bullet(part, 'Not used')).sort()).toEqual([...NOT_APPLICABLE].sort());
  });

  it('when .gitignore lists .env, then docs/production.md does not claim otherwise', () => {
    const ignored = read('.gitignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toContain('.env');
    const sentences = production.split(/(?<=\.)\s+/).filter((sentence) => sentence.includes('.gitignore'));
    expect(sentences.length).toBeGreaterThan(0);
    for (const sentence of sentences) expect(sentence).not.toMatch(/\bnot\b|\byet\b|lacks/);
  });
});

describe('README structure', () => {
  it('when two sections exist, then neither title repeats or starts with the other (one "Scripts" section)', () => {
    const titles = [...readme.matchAll(/^#{2,3} (.+)$/gm)].map((match) => match[1]!.trim().toLowerCase());
    expect(new Set(titles).size).toBe(titles.length);
    for (const title of titles) {
      const clashes = titles.filter((other) => other !== title && other.startsWith(`${title} `));
      expect(clashes, title).toEqual([]);
    }
    expect(titles.filter((title) => /\bscripts\b/.test(title))).toEqual(['scripts']);
  });
});
