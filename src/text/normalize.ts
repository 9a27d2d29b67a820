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

/** Runs of letters (with their marks) and digits; an apostrophe inside a word is dropped ("don't" -> "dont"). */
function splitWords(text: string): string[] {
  return text.replace(/(\p{L})['’](\p{L})/gu, '$1$2').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** Words of a text after folding: runs of letters and digits (apostrophes inside a word are dropped). */
export function tokenize(text: string): string[] {
  return splitWords(foldText(text));
}

/**
 * The same words in lower case with their accents kept (NFC), for a language's stemmer, whose rules read accents
 * ("facturación" -> "factur"); fold each result with `foldText` afterwards.
 */
export function accentedWords(text: string): string[] {
  return splitWords(text.normalize('NFC').toLowerCase());
}

/** A key for comparing names: folded words joined by single spaces ("Customer  Success" -> "customer success"). */
export function nameKey(text: string): string {
  return tokenize(text).join(' ');
}
