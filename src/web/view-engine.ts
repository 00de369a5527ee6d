import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type RenderCallback = (error: Error | null, html?: string) => void;
export type ViewEngine = (file: string, options: object, callback: RenderCallback) => void;

const SCRIPTLET = /<%[_=-]?([\s\S]*?)[_-]?%>/g;
const IDENTIFIER = /(?<![.\w$])([A-Za-z_$][\w$]*)/g;
const DECLARED = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g;
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof let new null of return super switch this throw true try typeof var void while with yield await async undefined NaN Infinity include locals'.split(' '),
);

function templatesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? templatesIn(file) : name.endsWith('.ejs') ? [file] : [];
  });
}

/**
 * Every name the templates read from their locals. Strict-mode EJS declares exactly these
 * (instead of wrapping each template in `with (locals)`, which makes rendering about three times
 * slower): identifiers in scriptlets, minus keywords, globals and names the templates declare.
 */
export function templateLocals(viewsDir: string): string[] {
  const names = new Set<string>();
  const declared = new Set<string>();
  for (const file of templatesIn(viewsDir)) {
    for (const [, code] of readFileSync(file, 'utf8').matchAll(SCRIPTLET)) {
      const withoutStrings = code!.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g, "''");
      for (const [, name] of withoutStrings.matchAll(DECLARED)) declared.add(name!);
      for (const [, name] of withoutStrings.matchAll(IDENTIFIER)) names.add(name!);
    }
  }
  return [...names].filter((name) => !RESERVED.has(name) && !declared.has(name) && !(name in globalThis)).sort();
}

/** The EJS engine for Express, compiled in strict mode with the templates' locals destructured. */
export function createViewEngine(viewsDir: string): ViewEngine {
  const destructuredLocals = templateLocals(viewsDir);
  return (file, options, callback) => {
    const data = options as ejs.Data;
    ejs.renderFile(file, data, { strict: true, destructuredLocals, cache: data.cache === true }, callback);
  };
}
