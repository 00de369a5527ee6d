/**
 * Request bodies and client authentication for the OAuth endpoints, which Procore accepts as
 * form fields, multipart fields (`curl -F`), JSON or query parameters.
 */
import express, { type Request, type RequestHandler } from 'express';
import multer from 'multer';

const LIMIT = '64kb';

/** Parses form, JSON and multipart bodies (multipart: fields only, files are refused). */
export const parseAnyBody: RequestHandler[] = [
  express.urlencoded({ extended: false, limit: LIMIT }),
  express.json({ limit: LIMIT }),
  multer({ limits: { fieldSize: 64 * 1024, fields: 50, files: 0 } }).none(),
];

export const parseFormBody: RequestHandler = express.urlencoded({ extended: false, limit: LIMIT });

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return firstString(value[0]);
  return undefined;
}

/** The parsed body as a plain object ({} when there is none or it is not an object). */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  return { ...(body as Record<string, unknown>) };
}

/** Query parameters and body fields as strings; body fields win. */
export function oauthParams(req: Request): Record<string, string> {
  const params: Record<string, string> = {};
  const sources = [req.query as Record<string, unknown>, bodyObject(req)];
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      const text = firstString(value);
      if (text !== undefined) params[key] = text;
    }
  }
  return params;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string | undefined;
  method: 'basic' | 'params';
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or from the parameters. */
export function clientCredentials(req: Request, params: Record<string, string>): ClientCredentials | undefined {
  const header = req.get('authorization');
  const basic = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const decode = (part: string): string => {
        try {
          return decodeURIComponent(part.replace(/\+/g, ' '));
        } catch {
          return part;
        }
      };
      return {
        clientId: decode(decoded.slice(0, colon)),
        clientSecret: decode(decoded.slice(colon + 1)),
        method: 'basic',
      };
    }
  }
  if (params.client_id) return { clientId: params.client_id, clientSecret: params.client_secret, method: 'params' };
  return undefined;
}
