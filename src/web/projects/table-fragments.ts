/**
 * The rendered project table (the rows of one list page) kept for reuse. A fragment depends only
 * on the list copy and the query, so it is named by the list's cache key (per person, company and
 * status), the copy's `fetchedAt` and the query: when the list changes (a refresh here or on
 * another instance), its `fetchedAt` changes and the old fragments are never asked for again;
 * they leave as the least recently used once the byte budget is spent.
 */
export class TableFragments {
  private readonly fragments = new Map<string, string>();
  private bytes = 0;

  /** `budgetBytes`: the summed length of the fragments kept (default 4 MiB; 0 keeps none). */
  constructor(private readonly budgetBytes = 4 * 1024 * 1024) {}

  static key(listKey: string, fetchedAt: number, query: string): string {
    return `${listKey}@${fetchedAt}${query}`;
  }

  /** The fragment named `key`, rendered by `render` when it is not kept yet. */
  async get(key: string, render: () => Promise<string>): Promise<string> {
    const kept = this.fragments.get(key);
    if (kept !== undefined) {
      // Most recently used goes last; eviction takes from the front.
      this.fragments.delete(key);
      this.fragments.set(key, kept);
      return kept;
    }
    const html = await render();
    if (html.length > this.budgetBytes) return html;
    const raced = this.fragments.get(key);
    if (raced !== undefined) {
      this.fragments.delete(key);
      this.bytes -= raced.length;
    }
    this.fragments.set(key, html);
    this.bytes += html.length;
    for (const [oldest, fragment] of this.fragments) {
      if (this.bytes <= this.budgetBytes) break;
      this.fragments.delete(oldest);
      this.bytes -= fragment.length;
    }
    return html;
  }

  get size(): number {
    return this.fragments.size;
  }
}
