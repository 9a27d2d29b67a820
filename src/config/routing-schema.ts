import { z } from 'zod';
import { nameKey, tokenize } from '../text/normalize.js';
import { always, blankAsDefault, reportDuplicates, stringAt } from './schema-shapes.js';

/** A department's routing rules: keywords, phrases and patterns, each with an optional weight. */

const WEIGHT_MESSAGE = 'must be a number from 0.1 to 100';
const weight = z
  .number({ error: WEIGHT_MESSAGE })
  .min(0.1, WEIGHT_MESSAGE)
  .max(100, WEIGHT_MESSAGE)
  .default(1);

/** `"word"` is shorthand for `{ <field>: "word", weight: 1 }`. */
function shorthand(field: 'term' | 'pattern') {
  return (value: unknown) => (typeof value === 'string' ? { [field]: value, weight: 1 } : value);
}

/** A routing term written as a string or `{ term, weight }`, whose word count `fits` (else `problem`). */
function termRule(message: string, fits: (words: number) => boolean, problem: string) {
  return z.preprocess(
    shorthand('term'),
    z.strictObject(
      {
        term: z
          .string({ error: message })
          .trim()
          .refine((term) => fits(tokenize(term).length), problem),
        weight,
      },
      { error: message },
    ),
  );
}

const keywordRule = termRule(
  'must be one word, or { term: word, weight: number }',
  (words) => words === 1,
  'must be exactly one word (put terms of two or more words under `phrases`)',
);

const phraseRule = termRule(
  'must be a phrase of two or more words, or { term: phrase, weight: number }',
  (words) => words >= 2,
  'must be two or more words (put single words under `keywords`)',
);

/** Why a pattern is unusable, or undefined when it is fine. Patterns are compiled with flags "iu". */
export function patternProblem(source: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(source, 'giu');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `is not a valid regular expression (${reason})`;
  }
  // A pattern that can match zero characters "matches" every message, which would hijack routing.
  const samples = ['', 'a', 'Order 1234, please!'];
  for (const sample of samples) {
    for (const match of sample.matchAll(re)) {
      if (match[0] === '') {
        return 'can match an empty string, so it would match every message; make it require at least one character';
      }
    }
  }
  return undefined;
}

const PATTERN_MESSAGE = 'must be a regular expression, or { pattern: regex, weight: number }';
const patternRule = z.preprocess(
  shorthand('pattern'),
  z.strictObject(
    {
      pattern: z
        .string({ error: PATTERN_MESSAGE })
        .min(1, PATTERN_MESSAGE)
        .superRefine((source, ctx) => {
          const problem = patternProblem(source);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
      weight,
    },
    { error: PATTERN_MESSAGE },
  ),
);

function ruleList<T extends z.ZodType>(
  rule: T,
  field: 'term' | 'pattern',
  label: string,
  fold: (s: string) => string,
) {
  return z
    .array(rule, { error: `must be a list of ${label}` })
    .superRefine((items, ctx) => {
      reportDuplicates(
        items,
        ctx,
        (item) => {
          const value = stringAt(item, field);
          return value === undefined ? undefined : fold(value);
        },
        (item, index, first) => ({
          path: [index],
          message: `repeats \`${stringAt(item, field)}\` (already at [${first}]); list each one once`,
        }),
      );
    }, always)
    .default([]);
}

export const routingSchema = z
  .strictObject(
    {
      keywords: blankAsDefault(ruleList(keywordRule, 'term', 'keywords', nameKey)),
      phrases: blankAsDefault(ruleList(phraseRule, 'term', 'phrases', nameKey)),
      patterns: blankAsDefault(ruleList(patternRule, 'pattern', 'patterns', (s) => s)),
    },
    { error: 'must be a section with `keywords`, `phrases` and/or `patterns`' },
  )
  .prefault({});
