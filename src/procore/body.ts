/** Token responses, `/me`, token info, revocation and every error body: a few hundred bytes at Procore. */
export const SMALL_BODY_MAX_BYTES = 64 * 1024;
/** A page of a list (projects, companies) or one project: 300 projects in Procore's published shape are about 330 KB. */
export const LIST_PAGE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The body as text, or undefined when it is longer than `maxBytes`: read as a stream and given up
 * on there (not read at all when Content-Length says so), so a huge or endless answer costs at
 * most that much memory and time. Imports nothing: src/procore-auth uses it too.
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<string | undefined> {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let part = await reader?.read(); reader && part && !part.done; part = await reader.read()) {
    if ((size += part.value.byteLength) > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(part.value);
  }
  // TextDecoder drops a byte-order mark, as response.text() does.
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}
