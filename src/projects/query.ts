import type { ProjectStatusFilter } from '../procore/types';
import type { ProjectSummary } from './project-summary';

export const PAGE_SIZE = 50;
/** Longer searches are cut to this many characters (nobody types a 100-character project name). */
export const MAX_SEARCH_LENGTH = 100;
export const STATUSES: readonly ProjectStatusFilter[] = ['Active', 'Inactive', 'All'];
export const SORTS = ['name', '-name', 'number', '-number'] as const;
export type SortOption = (typeof SORTS)[number];

/** What a person asked the list for; everything lives in the query string. */
export interface ListQuery {
  /** Undefined: the last company they looked at, or their first one. */
  companyId: number | undefined;
  /** Search text, trimmed and at most MAX_SEARCH_LENGTH characters; '' for none. */
  q: string;
  status: ProjectStatusFilter;
  sort: SortOption;
  page: number;
  /** One stage's projects ('' for every stage; NO_STAGE for projects without one). */
  stage: string;
}

export const DEFAULT_QUERY: Omit<ListQuery, 'companyId'> = {
  q: '',
  status: 'Active',
  sort: 'name',
  page: 1,
  stage: '',
};

/** `stage=(none)`: the projects Procore has no stage for (shown as "No stage"). */
export const NO_STAGE = '(none)';
export const NO_STAGE_LABEL = 'No stage';

/** The stage a project is counted and filtered under: its stage name, or NO_STAGE. */
export function stageKey(project: Pick<ProjectSummary, 'stage'>): string {
  const stage = project.stage?.trim();
  return stage ? stage : NO_STAGE;
}

export type ParsedQuery = { ok: true; query: ListQuery } | { ok: false; field: 'company_id'; message: string };

/** A positive whole number from a query string or path, or undefined. Company ids can exceed 32 bits. */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/**
 * Reads `company_id`, `q`, `status`, `sort`, `page` and `stage`. A malformed company id is an error (the
 * address names something that cannot exist); anything else unexpected falls back to its default,
 * so an old or hand-edited link still shows a sensible list.
 */
export function parseListQuery(raw: Record<string, unknown>): ParsedQuery {
  const companyText = single(raw.company_id);
  let companyId: number | undefined;
  if (companyText !== undefined && companyText !== '') {
    companyId = parseId(companyText);
    if (companyId === undefined)
      return {
        ok: false,
        field: 'company_id',
        message: 'The company in this address is not a valid Procore company id.',
      };
  }
  const q = (single(raw.q) ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_SEARCH_LENGTH).trim();
  const statusText = (single(raw.status) ?? '').toLowerCase();
  const status = STATUSES.find((candidate) => candidate.toLowerCase() === statusText) ?? DEFAULT_QUERY.status;
  const sortText = single(raw.sort) ?? '';
  const sort = (SORTS as readonly string[]).includes(sortText) ? (sortText as SortOption) : DEFAULT_QUERY.sort;
  const pageText = single(raw.page) ?? '';
  const page = /^[1-9]\d{0,5}$/.test(pageText) ? Number(pageText) : 1;
  const stage = (single(raw.stage) ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_SEARCH_LENGTH).trim();
  return { ok: true, query: { companyId, q, status, sort, page, stage } };
}

/** The query string for a list view, leaving defaults out so addresses stay short. */
export function listSearch(query: Partial<ListQuery>): string {
  const params = new URLSearchParams();
  if (query.companyId !== undefined) params.set('company_id', String(query.companyId));
  if (query.q) params.set('q', query.q);
  if (query.status && query.status !== DEFAULT_QUERY.status) params.set('status', query.status);
  if (query.stage) params.set('stage', query.stage);
  if (query.sort && query.sort !== DEFAULT_QUERY.sort) params.set('sort', query.sort);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Lower case, accents removed: "Café" matches "cafe". */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // Plain ASCII (nearly every project name) needs no Unicode normalisation.
  return /\P{ASCII}/u.test(lower) ? lower.normalize('NFKD').replace(/\p{M}/gu, '') : lower;
}

/** One bar of the stage mix: `stage` is the `stage=` value (NO_STAGE for none), `label` what people read. */
export interface StageCount {
  stage: string;
  label: string;
  count: number;
}

export interface ListPage {
  rows: ProjectSummary[];
  /** Projects matching the search (all of them when there is none). */
  matching: number;
  /** Projects in the cached list. */
  total: number;
  page: number;
  pageCount: number;
  /** 1-based positions of the first and last row shown; 0 when nothing matches. */
  from: number;
  to: number;
}

function compareKeys(keys: readonly string[], items: readonly ProjectSummary[]) {
  return (a: number, b: number): number => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    if (ka < kb) return -1;
    if (ka > kb) return 1;
    return items[a]!.id - items[b]!.id;
  };
}

/**
 * A company's project list, prepared once per cached copy: search keys and the name order are
 * computed when the list is loaded, so showing any page without a search costs O(page size).
 */
export class ProjectIndex {
  private readonly searchKeys: string[];
  private readonly orders = new Map<'name' | 'number', Uint32Array>();
  private foldedStages: string[] | undefined;
  private mixWithoutSearch: StageCount[] | undefined;

  constructor(readonly items: readonly ProjectSummary[]) {
    this.searchKeys = items.map((project) =>
      foldText(project.number ? `${project.name}\u0000${project.number}` : project.name),
    );
    this.order('name');
  }

  get size(): number {
    return this.items.length;
  }

  find(id: number): ProjectSummary | undefined {
    return this.items.find((project) => project.id === id);
  }

  /** Item positions sorted ascending by name, or by number with unnumbered projects last. */
  private order(key: 'name' | 'number'): Uint32Array {
    let order = this.orders.get(key);
    if (!order) {
      const items = this.items;
      const keys =
        key === 'name'
          ? items.map((project) => foldText(project.name))
          : // '\uffff' sorts after every real number, so unnumbered projects come last.
            items.map((project) => (project.number ? foldText(project.number) : '\uffff'));
      const positions = Array.from({ length: items.length }, (_, index) => index);
      positions.sort(compareKeys(keys, items));
      order = Uint32Array.from(positions);
      this.orders.set(key, order);
    }
    return order;
  }

  /** Stage keys (see stageKey), folded, computed the first time a stage is asked for. */
  private stageKeys(): string[] {
    return (this.foldedStages ??= this.items.map((project) => foldText(stageKey(project))));
  }

  /** The positions of `order` whose search key holds every word and (when given) whose stage matches. */
  private filter(order: Uint32Array, q: string, stage: string): Uint32Array | number[] {
    const terms = q ? foldText(q).split(' ').filter(Boolean) : [];
    if (terms.length === 0 && !stage) return order;
    const stages = stage ? this.stageKeys() : undefined;
    const wanted = foldText(stage);
    const matches: number[] = [];
    for (const position of order) {
      if (stages && stages[position] !== wanted) continue;
      const key = this.searchKeys[position]!;
      if (terms.every((term) => key.includes(term))) matches.push(position);
    }
    return matches;
  }

  /**
   * How many projects matching the search are in each stage, most first (ties by name), "No stage"
   * last. Without a search the answer is kept with the list: a page view costs nothing more.
   */
  stageMix(query: Pick<ListQuery, 'q'>): StageCount[] {
    if (!query.q && this.mixWithoutSearch) return this.mixWithoutSearch;
    const counts = new Map<string, number>();
    for (const position of this.filter(this.order('name'), query.q, '')) {
      const key = stageKey(this.items[position]!);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const mix = [...counts]
      .map(([stage, count]) => ({ stage, label: stage === NO_STAGE ? NO_STAGE_LABEL : stage, count }))
      .sort(
        (a, b) =>
          Number(a.stage === NO_STAGE) - Number(b.stage === NO_STAGE) ||
          b.count - a.count ||
          (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
      );
    if (!query.q) this.mixWithoutSearch = mix;
    return mix;
  }

  /** Every matching project in the asked order (for exports): one page as long as the list. */
  selectAll(query: Pick<ListQuery, 'q' | 'sort'> & { stage?: string }): ProjectSummary[] {
    return this.select({ ...query, page: 1 }, Number.MAX_SAFE_INTEGER).rows;
  }

  select(query: Pick<ListQuery, 'q' | 'sort' | 'page'> & { stage?: string }, pageSize = PAGE_SIZE): ListPage {
    const descending = query.sort.startsWith('-');
    const order = this.order(query.sort.replace('-', '') as 'name' | 'number');
    const positions = this.filter(order, query.q, query.stage ?? '');
    const matching = positions.length;
    const pageCount = Math.max(1, Math.ceil(matching / pageSize));
    const page = Math.min(Math.max(1, query.page), pageCount);
    // Descending by number still keeps unnumbered projects at the end.
    if (query.sort === '-number') return this.selectNumberDescending(positions, matching, page, pageCount, pageSize);
    const start = (page - 1) * pageSize;
    const end = Math.min(matching, start + pageSize);
    const rows: ProjectSummary[] = [];
    for (let i = start; i < end; i += 1) {
      const position = descending ? positions[matching - 1 - i]! : positions[i]!;
      rows.push(this.items[position]!);
    }
    return { rows, matching, total: this.items.length, page, pageCount, from: matching === 0 ? 0 : start + 1, to: end };
  }

  private selectNumberDescending(
    positions: ArrayLike<number>,
    matching: number,
    page: number,
    pageCount: number,
    pageSize: number,
  ): ListPage {
    let numbered = 0;
    while (numbered < matching && this.items[positions[numbered]!]!.number) numbered += 1;
    const start = (page - 1) * pageSize;
    const end = Math.min(matching, start + pageSize);
    const rows: ProjectSummary[] = [];
    for (let i = start; i < end; i += 1) {
      const position = i < numbered ? positions[numbered - 1 - i]! : positions[i]!;
      rows.push(this.items[position]!);
    }
    return { rows, matching, total: this.items.length, page, pageCount, from: matching === 0 ? 0 : start + 1, to: end };
  }
}
