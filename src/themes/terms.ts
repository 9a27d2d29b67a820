import { stemmer as stemDutch } from '@orama/stemmers/dutch';
import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemFrench } from '@orama/stemmers/french';
import { stemmer as stemGerman } from '@orama/stemmers/german';
import { stemmer as stemPortuguese } from '@orama/stemmers/portuguese';
import { stemmer as stemSpanish } from '@orama/stemmers/spanish';
import { stopwords as dutchStopWords } from '@orama/stopwords/dutch';
import { stopwords as englishStopWords } from '@orama/stopwords/english';
import { stopwords as frenchStopWords } from '@orama/stopwords/french';
import { stopwords as germanStopWords } from '@orama/stopwords/german';
import { stopwords as portugueseStopWords } from '@orama/stopwords/portuguese';
import { stopwords as spanishStopWords } from '@orama/stopwords/spanish';
import type { ThemeLanguage } from '../text/languages.js';
import { accentedWords, foldText } from '../text/normalize.js';

/**
 * The terms a theme is made of, in the org's language: words split and lower-cased by the app's normaliser,
 * stop words dropped (Snowball's lists, from @orama/stopwords), each word stemmed by its language's Snowball
 * stemmer (@orama/stemmers: "charges", "charged" and "charging" give "charg"), then folded for accents, so
 * "livrée" and "livree", "Rückerstattung" and "Ruckerstattungen" meet.
 */

/** Words that say nothing about the problem in feedback forwarded by a support rep, on top of the stop-word list. */
const FEEDBACK_FILLER: Record<ThemeLanguage, string> = {
  en: 'customer customers client clients user users says said told asked please hi hello thanks thank again also just still get got us',
  de: 'kunde kunden kundin sagt sagte bitte hallo danke wieder schon noch',
  fr: 'client cliente clients dit merci bonjour encore toujours',
  es: 'cliente clientes dice dijo gracias hola otra vez todavia',
  pt: 'cliente clientes diz disse obrigado ola outra vez ainda',
  nl: 'klant klanten zegt zei bedankt hallo alweer nog',
};

/** French, Portuguese and Dutch write elisions with an apostrophe ("l'application", "d'un"): the article goes. */
const ELISION = /(^|[^\p{L}])(?:l|d|j|m|n|s|t|c|qu|lorsqu|puisqu)['’](?=\p{L})/giu;

type Analyzer = {
  stem: (word: string) => string;
  stopWords: ReadonlySet<string>;
  elisions: boolean;
  /** The language writes accents, so a word typed without them may need a second stemming. */
  restem: boolean;
};

const foldAll = (words: readonly string[]): Set<string> => new Set(words.map((w) => foldText(w)));
const stopWordsFor = (list: readonly string[], lang: ThemeLanguage) =>
  foldAll([...list, ...FEEDBACK_FILLER[lang].split(' ')]);

const ANALYZERS: Record<ThemeLanguage, () => Analyzer> = {
  en: () => ({
    stem: stemEnglish,
    stopWords: stopWordsFor(englishStopWords, 'en'),
    elisions: false,
    restem: false,
  }),
  de: () => ({
    stem: stemGerman,
    stopWords: stopWordsFor(germanStopWords, 'de'),
    elisions: false,
    restem: true,
  }),
  fr: () => ({
    stem: stemFrench,
    stopWords: stopWordsFor(frenchStopWords, 'fr'),
    elisions: true,
    restem: true,
  }),
  es: () => ({
    stem: stemSpanish,
    stopWords: stopWordsFor(spanishStopWords, 'es'),
    elisions: false,
    restem: true,
  }),
  pt: () => ({
    stem: stemPortuguese,
    stopWords: stopWordsFor(portugueseStopWords, 'pt'),
    elisions: true,
    restem: true,
  }),
  nl: () => ({
    stem: stemDutch,
    stopWords: stopWordsFor(dutchStopWords, 'nl'),
    elisions: false,
    restem: true,
  }),
};

/** At most this many words of a text are read (the summary first, then the details). */
export const MAX_THEME_WORDS = 200;

export type ThemeTerms = {
  /** Distinct stems of the text's meaningful words, folded. */
  terms: string[];
  /** For each stem, the first word it came from (folded), to name a theme in words people read. */
  surfaces: Map<string, string>;
};

export type TermExtractor = (text: string) => ThemeTerms;

/** An extractor for one language; build it once per org config (the stop-word set is made here). */
export function createTermExtractor(language: ThemeLanguage = 'en'): TermExtractor {
  const { stem, stopWords, elisions, restem } = ANALYZERS[language]();
  return (text) => {
    const source = elisions ? text.replace(ELISION, '$1') : text;
    const surfaces = new Map<string, string>();
    let read = 0;
    for (const word of accentedWords(source)) {
      if (++read > MAX_THEME_WORDS) break;
      const folded = foldText(word);
      if (folded.length < 2 || stopWords.has(folded) || /\p{N}/u.test(folded)) continue;
      // Stemmed with its accents (Snowball's rules read them), then folded. A word typed without the accents its
      // language puts there is stemmed twice, which takes off the suffix its missing accent hid ("livree" ->
      // "livre" -> "livr", as "livrée" -> "livr"); Spanish "-cion" typed for "-ción" still stays apart.
      const once = stem(word);
      const term = foldText(restem && word === folded ? stem(once) : once);
      if (term.length > 1 && !surfaces.has(term)) surfaces.set(term, folded);
    }
    return { terms: [...surfaces.keys()], surfaces };
  };
}
