import type { IncomingHttpHeaders } from 'node:http';

/** Arguments that Slack takes as JSON-encoded strings in form bodies; recorded parsed. */
const JSON_STRING_FIELDS = [
  'blocks',
  'view',
  'attachments',
  'metadata',
  'files',
  'unfurls',
  'user_auth_blocks',
];

export interface UploadedPart {
  filename: string;
  size: number;
  bytes: Buffer;
}

export interface ParsedApiRequest {
  /** Arguments with JSON-string fields parsed; the `token` argument removed (see `token`). */
  args: Record<string, unknown>;
  /** From `Authorization: Bearer …`, else the `token` argument. */
  token: string | undefined;
  contentType: string;
  /** JSON-string fields that did not parse (left as strings in `args`). */
  malformedFields: string[];
  /** Files in a multipart body. */
  files: Record<string, UploadedPart>;
  /** The body could not be parsed at all (e.g. invalid JSON). */
  invalidBody: boolean;
}

export function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

async function parseMultipart(
  raw: Buffer,
  contentType: string,
): Promise<{ fields: Record<string, unknown>; files: Record<string, UploadedPart> }> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, unknown> = {};
  const files: Record<string, UploadedPart> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      fields[key] = value;
    } else {
      const bytes = Buffer.from(await value.arrayBuffer());
      files[key] = { filename: value.name, size: bytes.length, bytes };
    }
  }
  return { fields, files };
}

/** Parses a Web API request body the way Slack accepts it: form-urlencoded, JSON or multipart. */
export async function parseApiRequest(
  headers: IncomingHttpHeaders,
  raw: Buffer,
  query: URLSearchParams,
): Promise<ParsedApiRequest> {
  const type = mediaType(headers);
  let args: Record<string, unknown> = Object.fromEntries(query.entries());
  let files: Record<string, UploadedPart> = {};
  let invalidBody = false;

  if (raw.length > 0) {
    if (type === 'application/json') {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
          args = { ...args, ...(parsed as Record<string, unknown>) };
        } else {
          invalidBody = true;
        }
      } catch {
        invalidBody = true;
      }
    } else if (type === 'multipart/form-data') {
      try {
        const parsed = await parseMultipart(raw, headers['content-type'] ?? type);
        args = { ...args, ...parsed.fields };
        files = parsed.files;
      } catch {
        invalidBody = true;
      }
    } else {
      args = { ...args, ...Object.fromEntries(new URLSearchParams(raw.toString('utf8')).entries()) };
    }
  }

  const malformedFields: string[] = [];
  for (const field of JSON_STRING_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      malformedFields.push(field);
    }
  }

  const authorization = headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const tokenArg = typeof args.token === 'string' ? args.token : undefined;
  delete args.token;

  return { args, token: bearer ?? tokenArg, contentType: type, malformedFields, files, invalidBody };
}

export async function readBody(req: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}
