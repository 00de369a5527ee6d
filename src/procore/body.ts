/** Token responses, `/me`, token info, revocation and error bodies: a few hundred bytes at Procore. */
export const SMALL_BODY_MAX_BYTES = 64 * 1024;
/** A list page or one project: 300 projects in Procore's published shape are about 330 KB. */
export const LIST_PAGE_MAX_BYTES = 8 * 1024 * 1024;

/** The body as text; undefined past `maxBytes`, given up there (or unread when Content-Length says so). Imports nothing. */
export async function readCappedBody(response: Response, maxBytes: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  for (let size = Number(response.headers.get('content-length')) > maxBytes ? Infinity : 0; size <= maxBytes;) {
    const part = await reader?.read();
    // TextDecoder drops a byte-order mark, as response.text() does.
    if (!part || part.done) return new TextDecoder().decode(Buffer.concat(chunks));
    chunks.push(part.value);
    size += part.value.byteLength;
  }
  await reader?.cancel();
  return undefined;
}
