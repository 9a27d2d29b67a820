import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The survey link's token: `<public id>.<expiry>.<signature>`. The public id names the stored survey request,
 * the expiry is in seconds (base 36), and the signature is HMAC-SHA256 over both with SURVEY_SECRET, cut to 128
 * bits (22 base64url characters) to keep the link short enough to read out or paste in a text message. A token
 * that does not parse, or whose signature does not match, names nothing: the page answers 404 without touching
 * the database.
 */

const TOKEN = /^([A-Za-z0-9_-]{12})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;
const SIGNATURE_BYTES = 16;

/** A new random public id for a survey request (72 bits, 12 base64url characters). */
export function newSurveyPublicId(): string {
  return randomBytes(9).toString('base64url');
}

function signature(secret: string, publicId: string, expirySeconds: string): Buffer {
  return createHmac('sha256', secret)
    .update(`survey:${publicId}:${expirySeconds}`)
    .digest()
    .subarray(0, SIGNATURE_BYTES);
}

/** The token for a stored request; `expiresAt` in ms (the link carries whole seconds). */
export function signSurveyToken(secret: string, publicId: string, expiresAt: number): string {
  const expiry = Math.floor(expiresAt / 1000).toString(36);
  return `${publicId}.${expiry}.${signature(secret, publicId, expiry).toString('base64url')}`;
}

/** The request a token names and when it expires (ms), or undefined when it is malformed or forged. */
export function readSurveyToken(
  secret: string,
  token: string,
): { publicId: string; expiresAt: number } | undefined {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, publicId = '', expiry = '', given = ''] = match;
  const expected = signature(secret, publicId, expiry);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  return { publicId, expiresAt: Number.parseInt(expiry, 36) * 1000 };
}
