/**
 * Pages are EJS templates rendered from explicit view models.
 *
 * How to add a page (say `views/reports.ejs`):
 * 1. In the feature's folder (`src/web/reports/reports-page.ts`): `interface ReportsView { layout: LayoutView; ... }` with
 *    exactly the locals the template reads, `REPORTS_LOCALS = localsOf<ReportsView>({ layout: true, ... })`
 *    (the compiler checks that list against the interface) and a builder
 *    `reportsPage(layout, ...): ReportsView` that computes them.
 * 2. Register it in `VIEW_LOCALS` (src/web/view-locals.ts): `reports: REPORTS_LOCALS`.
 * 3. The template starts with `<%- include('partials/head', layout) %>`, ends with
 *    `<%- include('partials/foot') %>` and reads only its keys. Every key is always there (use
 *    `undefined` values), so no `typeof x !== 'undefined'` guards; never `locals.x`.
 * 4. The route: `res.render('reports', reportsPage(layoutOf(res.locals.viewer, 'Reports'), ...))`.
 *    Nothing else reaches the template: not `res.locals`, not `app.locals`.
 * 5. Add its fixtures to test/web/views.test.ts. That test renders every template under views/ and
 *    fails for a template without a key list or fixture, a missing local and a local the template
 *    never reads.
 * A partial gets only what its include passes (`include('partials/x', { a, b })`, not the page's
 * locals) and has its own key list in `VIEW_LOCALS` (`'partials/x': [...]`).
 *
 * Why: EJS in strict mode (no `with`, about three times faster) must be told the names to
 * destructure. Each template is compiled with its own view model's key list, so one template
 * always compiles with one list. From the build (dist/, plain .js) every template is compiled once
 * at start-up, whatever NODE_ENV says; under tsx or vitest a template is compiled again when its
 * file changes.
 */
import { globSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type RenderCallback = (error: Error | null, html?: string) => void;
export type ViewEngine = (file: string, options: object, callback: RenderCallback) => void;

type Include = (includePath: string, data?: object) => string;
/** EJS's compiled function in client mode: the include function is ours. */
export type CompiledTemplate = (locals: object, escapeFn: (markup: unknown) => string, include: Include) => string;

/** True when this code runs from the build output (dist/*.js) rather than TypeScript sources. */
export const RUNNING_FROM_BUILD = path.extname(__filename) === '.js';

/** Template names under `viewsDir`: paths without `.ejs`, with `/` separators (`partials/head`). */
export function templateNames(viewsDir: string): string[] {
  return globSync('**/*.ejs', { cwd: viewsDir })
    .map((file) => file.slice(0, -'.ejs'.length).split(path.sep).join('/'))
    .sort();
}

/** Compiles one template in strict mode with exactly `locals` destructured. */
export function compileTemplate(viewsDir: string, name: string, locals: readonly string[]): CompiledTemplate {
  const filename = path.join(viewsDir, `${name}.ejs`);
  const options = { client: true, strict: true, destructuredLocals: [...locals], filename };
  return ejs.compile(readFileSync(filename, 'utf8'), options) as unknown as CompiledTemplate;
}

export interface TemplatesOptions {
  viewsDir: string;
  /** Each template's locals: `VIEW_LOCALS`. */
  locals: Readonly<Record<string, readonly string[]>>;
  /** Compile every template now and never read the files again. Default: `RUNNING_FROM_BUILD`. */
  precompile?: boolean;
}

/** The compiled templates of one views folder. */
export class Templates {
  private readonly compiled = new Map<string, { render: CompiledTemplate; mtimeMs: number }>();
  private readonly precompiled: boolean;

  constructor(private readonly options: TemplatesOptions) {
    this.precompiled = options.precompile ?? RUNNING_FROM_BUILD;
    if (this.precompiled) for (const name of templateNames(options.viewsDir)) this.template(name);
  }

  /** Renders template `name` (`projects`, `partials/head`) from its view model. */
  render(name: string, model: object): string {
    const locals = this.localsOf(name);
    for (const key of locals) if (!(key in model)) throw new Error(`The view model of ${name} has no "${key}"`);
    const include: Include = (includePath, data = {}) =>
      this.render(path.posix.normalize(includePath).replace(/\.ejs$/, ''), data);
    return this.template(name)(model, ejs.escapeXML, include);
  }

  private localsOf(name: string): readonly string[] {
    const locals = this.options.locals[name];
    if (!locals) throw new Error(`The template ${name} has no key list in VIEW_LOCALS (src/web/view-locals.ts)`);
    return locals;
  }

  private template(name: string): CompiledTemplate {
    const cached = this.compiled.get(name);
    if (cached && this.precompiled) return cached.render;
    const mtimeMs = statSync(path.join(this.options.viewsDir, `${name}.ejs`)).mtimeMs;
    if (cached?.mtimeMs === mtimeMs) return cached.render;
    const render = compileTemplate(this.options.viewsDir, name, this.localsOf(name));
    this.compiled.set(name, { render, mtimeMs });
    return render;
  }
}

/** The engine for Express: `res.render(name, viewModel)` renders `views/<name>.ejs`. */
export function createViewEngine(options: TemplatesOptions): ViewEngine {
  const templates = new Templates(options);
  return (file, model, callback) => {
    let html: string;
    try {
      const name = path
        .relative(options.viewsDir, file)
        .split(path.sep)
        .join('/')
        .replace(/\.ejs$/, '');
      html = templates.render(name, model);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, html);
  };
}
