import type { Response } from 'express';

/** A template rendered to a string by the app's view engine. */
export function renderView(res: Response, view: string, model: object): Promise<string> {
  return new Promise((resolve, reject) =>
    res.app.render(view, model, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html ?? ''))),
  );
}

/** Where the page shows a kept listing section: the page is rendered around it, then sent in three parts. */
export const LISTING_SLOT = '<!--listing-->';

/**
 * Renders and sends a page as `res.render` does, with the kept listing section's bytes written
 * where the page has LISTING_SLOT (everything before it is escaped text, so the first match is
 * the slot): the section is neither copied into the page string nor encoded again. Without
 * `res.send`'s copy of the whole page into a Buffer just to learn its length.
 */
export async function sendPage(res: Response, view: string, model: object, listing: Buffer): Promise<void> {
  const html = await renderView(res, view, model);
  const at = html.indexOf(LISTING_SLOT);
  if (at < 0) throw new Error(`${view} did not show the listing`);
  const head = html.slice(0, at);
  const tail = html.slice(at + LISTING_SLOT.length);
  res.type('html');
  res.setHeader('Content-Length', Buffer.byteLength(head) + listing.length + Buffer.byteLength(tail));
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  res.cork();
  res.write(head);
  res.write(listing);
  res.end(tail);
  res.uncork();
}
