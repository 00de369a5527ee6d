/**
 * The rendered listing sections of project pages (filters, stage chart, summary, table, pagination)
 * kept for reuse, as UTF-8 bytes ready for the socket. A section depends only on the list copy, the
 * company and the query, so it is named by the list's cache key (per person, company and status),
 * the copy's `fetchedAt`, the company's name and the query: when the list changes (a refresh here
 * or on another instance), its `fetchedAt` changes and the old sections are never asked for again;
 * they leave as the least recently used once the byte budget is spent.
 */
export class ListingFragments {
  private readonly fragments = new Map<string, Buffer>();
  private bytes = 0;

  /** `budgetBytes`: the summed size of the sections kept (default 4 MiB; 0 keeps none). */
  constructor(private readonly budgetBytes = 4 * 1024 * 1024) {}

  static key(listKey: string, fetchedAt: number, companyName: string, query: string): string {
    return `${listKey}@${fetchedAt}\n${companyName}\n${query}`;
  }

  /** The section named `key`, rendered by `render` when it is not kept yet. */
  async get(key: string, render: () => Promise<string>): Promise<Buffer> {
    const kept = this.fragments.get(key);
    if (kept !== undefined) {
      // Most recently used goes last; eviction takes from the front.
      this.fragments.delete(key);
      this.fragments.set(key, kept);
      return kept;
    }
    const bytes = Buffer.from(await render(), 'utf8');
    if (bytes.length > this.budgetBytes) return bytes;
    const raced = this.fragments.get(key);
    if (raced !== undefined) {
      this.fragments.delete(key);
      this.bytes -= raced.length;
    }
    this.fragments.set(key, bytes);
    this.bytes += bytes.length;
    for (const [oldest, fragment] of this.fragments) {
      if (this.bytes <= this.budgetBytes) break;
      this.fragments.delete(oldest);
      this.bytes -= fragment.length;
    }
    return bytes;
  }

  get size(): number {
    return this.fragments.size;
  }
}
