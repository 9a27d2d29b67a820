import { type WebAPICallResult, WebClient } from '@slack/web-api';

/**
 * The bot's WebClient, sending each call's object arguments (blocks, metadata, a view) already as the JSON text
 * WebClient would make of them: the form it sends is byte for byte the same. WebClient logs every request body
 * at debug level, and builds that line whatever the level (`JSON.stringify(redact(body))`, a walk over every
 * block and key): given text, that walk stops at the top-level keys. (`redact` was a fifth of `apiCall` in a
 * profile of intake, the request body half of it; the answer's walk, over the message Slack echoes, remains.)
 * Only plain objects and arrays are encoded (never a Buffer or a stream), and `files.uploadV2` is left as is.
 */
export class EncodedArgsWebClient extends WebClient {
  override apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    if (method === 'files.uploadV2' || typeof options !== 'object' || options === null) {
      return super.apiCall(method, options);
    }
    return super.apiCall(method, encodeArguments(options));
  }
}

/** The arguments with each plain object or array value replaced by its JSON text, as WebClient's form has it. */
export function encodeArguments(options: Record<string, unknown>): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const value = options[key];
    encoded[key] = isPlainData(value) ? JSON.stringify(value) : value;
  }
  return encoded;
}

function isPlainData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
