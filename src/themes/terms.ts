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

/** A word written with an apostrophe inside ("hasn't", "i’ll"). */
const CONTRACTION = /\p{L}+['’]\p{L}+/gu;

/**
 * Stop words written with an apostrophe ("hasn't", "i'll", "that's"): the normaliser drops an apostrophe inside a
 * word ("hasnt"), so such stop words never matched a word and each negation became a term ("can't log in" and
 * "can't apply the code" met on "cant"). They are taken out of the text before it is split. Negations typed
 * without the apostrophe, as reps often write them ("hasnt", "cant"), are stop words too; the other contractions
 * are not, as "ill", "well", "shell" and "id" are words of their own. Items filed before keep the terms stored with
 * them (as after a change of language): such a word's share in a theme falls below MIN_CENTROID_SHARE (theme-model.ts) as it grows.
 */
function contractionsOf(stopWords: ReadonlySet<string>): {
  written: Set<string>;
  typedWithout: string[];
} {
  const written = new Set([...stopWords].filter((w) => w.includes("'")));
  const typedWithout = [...written].filter((w) => w.endsWith("n't")).map((w) => w.replace("'", ''));
  return { written, typedWithout };
}

type Analyzer = {
  stem: (word: string) => string;
  stopWords: ReadonlySet<string>;
  elisions: boolean;
  /** The language writes accents, so a word typed without them may need a second stemming. */
  restem: boolean;
};

const foldAll = (words: readonly string[]): Set<string> => new Set(words.map((w) => foldText(w)));
const stopWordsFor = (list: readonly string[], lang: ThemeLanguage) => {
  const words = foldAll([...list, ...FEEDBACK_FILLER[lang].split(' ')]);
  for (const negation of contractionsOf(words).typedWithout) words.add(negation);
  return words;
};

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
  const contractions = contractionsOf(stopWords).written;
  const dropContractions = (text: string) =>
    contractions.size === 0
      ? text
      : text.replace(CONTRACTION, (word) =>
          contractions.has(foldText(word).replace('’', "'")) ? ' ' : word,
        );
  return (text) => {
    const source = dropContractions(elisions ? text.replace(ELISION, '$1') : text);
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
