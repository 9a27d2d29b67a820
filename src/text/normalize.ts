/**
 * Text normalisation shared by routing, department look-up and (later) similarity.
 * Case- and accent-insensitive: "Facturación" and "facturacion" compare equal.
 */

/** Lower-case, strip diacritics (NFKD + remove combining marks), fold compatibility forms. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Words of a text after folding: runs of letters and digits (apostrophes inside a word are dropped). */
export function tokenize(text: string): string[] {
  const folded = foldText(text).replace(/(\p{L})['’](\p{L})/gu, '$1$2');
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A key for comparing names: folded words joined by single spaces ("Customer  Success" -> "customer success"). */
export function nameKey(text: string): string {
  return tokenize(text).join(' ');
}
