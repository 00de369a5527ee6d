import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling a request should know about it. */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it starts asynchronously) inside a request's context. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The id of the request being handled right now, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
