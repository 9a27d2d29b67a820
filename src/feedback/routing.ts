import type { Department } from '../config/org-schema.js';
import { foldText, tokenize } from '../text/normalize.js';

/**
 * Which department should handle a piece of feedback. Pure: text and rules in, decision out.
 *
 * Every distinct rule that matches adds its weight to its department. Keywords match whole words
 * (a trailing `*` matches word prefixes: `refund*` matches "refunds", "refunded"), phrases match
 * consecutive words, patterns are regular expressions. Case and accents never matter.
 * The highest total wins; a tie on score is broken by the number of distinct matches; a remaining tie,
 * or no match at all, goes to triage, where a person decides.
 */

export type RoutingDecision =
  | { method: 'rules'; departmentId: string; score: number; matched: string[]; reason: string }
  | { method: 'explicit'; departmentId: string; score: 0; matched: []; reason: string }
  | { method: 'triage'; departmentId: null; score: number; matched: string[]; reason: string };

type CompiledRule =
  | { kind: 'keyword'; label: string; word: string; prefix: boolean; weight: number }
  | { kind: 'phrase'; label: string; words: string[]; weight: number }
  | { kind: 'pattern'; label: string; regex: RegExp; weight: number };

export type CompiledRouter = {
  departments: { id: string; name: string; rules: CompiledRule[] }[];
};

export function compileRouter(departments: readonly Department[]): CompiledRouter {
  return {
    departments: departments.map((d) => ({
      id: d.id,
      name: d.name,
      rules: [
        ...d.routing.keywords.map((k) => compileWordRule(k.term, k.weight)),
        ...d.routing.phrases.map((p) => compileWordRule(p.term, p.weight)),
        ...d.routing.patterns.map(
          (p): CompiledRule => ({
            kind: 'pattern',
            label: p.pattern,
            regex: new RegExp(p.pattern, 'iu'),
            weight: p.weight,
          }),
        ),
      ],
    })),
  };
}

function compileWordRule(term: string, weight: number): CompiledRule {
  const prefix = term.trimEnd().endsWith('*');
  const words = tokenize(term);
  if (words.length === 1 && words[0] !== undefined) {
    return { kind: 'keyword', label: term.trim(), word: words[0], prefix, weight };
  }
  return { kind: 'phrase', label: term.trim(), words, weight };
}

function ruleMatches(
  rule: CompiledRule,
  words: readonly string[],
  wordSet: ReadonlySet<string>,
  text: string,
  folded: string,
): boolean {
  switch (rule.kind) {
    case 'keyword':
      return rule.prefix ? words.some((w) => w.startsWith(rule.word)) : wordSet.has(rule.word);
    case 'phrase':
      return containsSequence(words, rule.words);
    case 'pattern':
      return rule.regex.test(text) || rule.regex.test(folded);
  }
}

function containsSequence(words: readonly string[], seq: readonly string[]): boolean {
  if (seq.length === 0 || seq.length > words.length) return false;
  outer: for (let i = 0; i + seq.length <= words.length; i++) {
    for (let j = 0; j < seq.length; j++) {
      if (words[i + j] !== seq[j]) continue outer;
    }
    return true;
  }
  return false;
}

type Score = { id: string; name: string; score: number; matched: string[] };

export function routeFeedback(router: CompiledRouter, text: string): RoutingDecision {
  const words = tokenize(text);
  const wordSet = new Set(words);
  const folded = foldText(text);
  const scores: Score[] = [];
  for (const dept of router.departments) {
    const matched: string[] = [];
    let score = 0;
    for (const rule of dept.rules) {
      if (ruleMatches(rule, words, wordSet, text, folded)) {
        matched.push(rule.label);
        score += rule.weight;
      }
    }
    if (score > 0) scores.push({ id: dept.id, name: dept.name, score: round(score), matched });
  }
  if (scores.length === 0) {
    return { method: 'triage', departmentId: null, score: 0, matched: [], reason: 'no routing rule matched' };
  }
  scores.sort((a, b) => b.score - a.score || b.matched.length - a.matched.length);
  const [best, second] = scores as [Score, ...Score[]];
  if (second && second.score === best.score && second.matched.length === best.matched.length) {
    const tied = scores.filter((s) => s.score === best.score && s.matched.length === best.matched.length);
    return {
      method: 'triage',
      departmentId: null,
      score: best.score,
      matched: tied.flatMap((t) => t.matched),
      reason: `tie between ${tied.map((t) => `${t.name} (${t.matched.join(', ')})`).join(' and ')}`,
    };
  }
  return {
    method: 'rules',
    departmentId: best.id,
    score: best.score,
    matched: best.matched,
    reason: `matched: ${best.matched.join(', ')}`,
  };
}

export function explicitRouting(departmentId: string): RoutingDecision {
  return { method: 'explicit', departmentId, score: 0, matched: [], reason: 'chosen by the reporter' };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
