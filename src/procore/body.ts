/**
 * How much of a Procore answer the app reads: every body is read as a stream and given up on past
 * a cap, so a huge or endless answer (a bug, a proxy, someone pretending to be Procore) costs at
 * most that much memory and time, never the process.
 */

/** Token responses, `/me`, token info, revocation and every error body: a few hundred bytes at Procore. */
export const SMALL_BODY_MAX_BYTES = 64 * 1024;

/**
 * One page of a list (projects, companies) or one project: a page of 300 projects in Procore's
 * published shape is about 330 KB, so 8 MiB leaves room for 25 times that.
 */
export const LIST_PAGE_MAX_BYTES = 8 * 1024 * 1024;

/** The body as text, or undefined when it is longer than `maxBytes` (stopped there, or before reading when Content-Length says so). */
export async function readCappedBody(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return declared > maxBytes ? undefined : '';
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  // TextDecoder drops a byte-order mark, as response.text() did.
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}
