import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { isMap, isNode, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { nameKey } from '../text/normalize.js';
import { type Department, knownKeysAt, type OrgConfig, orgConfigSchema } from './org-schema.js';
import { collectSlackRefs, isSlackId, replaceAt, type SlackRef } from './slack-refs.js';

export type { Department, OrgConfig } from './org-schema.js';

/** One thing wrong with the org config file, located as precisely as the file allows. */
export type ConfigProblem = {
  file: string;
  /** Key path like `departments[1].routing.keywords[0]`; empty for file-level problems. */
  path: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  message: string;
};

export type OrgConfigResult = { ok: true; config: OrgConfig } | { ok: false; problems: ConfigProblem[] };

type Segment = string | number;

/**
 * What a channel name, e-mail address or user-group handle in the file stands for: its id, a problem to report
 * at its line (not found, ambiguous), or undefined when it has not been looked up yet (it is left as written).
 */
export type NameAnswer = { id: string } | { problem: string } | undefined;
export type NameLookup = (ref: SlackRef) => NameAnswer;
type YamlDocument = ReturnType<typeof parseDocument>;

// ---------------------------------------------------------------------------------------------------------------
// Loading

/**
 * Read, parse and validate the org config, replacing names with ids through `names` when given. Never throws:
 * every problem comes back in the result.
 */
export function loadOrgConfig(path: string, names?: NameLookup): OrgConfigResult {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const message =
      code === 'ENOENT'
        ? `file not found. Create it from the example: cp data/org.example.yaml ${path} (or point ORG_CONFIG at your file)`
        : `cannot read the file (${error instanceof Error ? error.message : String(error)})`;
    return { ok: false, problems: [{ file: path, path: '', message }] };
  }
  return parseOrgConfig(source, path, names);
}

/** Parse and validate YAML text; `file` only labels the problems. Never throws. */
export function parseOrgConfig(source: string, file: string, names?: NameLookup): OrgConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    const problems = doc.errors.map(
      (error): ConfigProblem => ({
        file,
        path: '',
        ...at(error.pos[0]),
        message: `YAML syntax error: ${firstLine(error.message)}`,
      }),
    );
    return { ok: false, problems: sortProblems(problems) };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ file, path: '', message: `YAML error: ${message}` }] };
  }

  const parsed = orgConfigSchema.safeParse(data);
  if (parsed.success)
    return names ? resolveNames(parsed.data, names, doc, file, at) : { ok: true, config: parsed.data };
  const problems = parsed.error.issues.flatMap((issue) => issueToProblems(issue, doc, file, at));
  return { ok: false, problems: sortProblems(problems) };
}

/** Names replaced by their ids; a name Slack does not know (or knows twice) is a problem at its line. */
function resolveNames(
  config: OrgConfig,
  names: NameLookup,
  doc: YamlDocument,
  file: string,
  at: (offset: number | undefined) => { line?: number; column?: number },
): OrgConfigResult {
  const replacements: { path: Segment[]; value: string }[] = [];
  const problems: ConfigProblem[] = [];
  for (const ref of collectSlackRefs(config)) {
    if (isSlackId(ref.kind, ref.value)) continue;
    const answer = names(ref);
    if (answer === undefined) continue;
    if ('id' in answer) replacements.push({ path: ref.path, value: answer.id });
    else
      problems.push({
        file,
        path: formatPath(ref.path),
        ...at(nodeOffset(doc, ref.path)),
        message: `\`${ref.value}\` ${answer.problem}`,
      });
  }
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, config: replaceAt(config, replacements) };
}

function issueToProblems(
  issue: z.core.$ZodIssue,
  doc: YamlDocument,
  file: string,
  at: (offset: number | undefined) => { line?: number; column?: number },
): ConfigProblem[] {
  const path: Segment[] = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));

  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    const parent = doc.getIn(path, true);
    return issue.keys.map((key) => {
      const keyNode = isMap(parent)
        ? parent.items.find((p) => isPair(p) && keyText(p.key) === key)?.key
        : undefined;
      const hint = suggest(key, known);
      const allowed = known.length > 0 ? ` Allowed here: ${known.join(', ')}.` : '';
      return {
        file,
        path: formatPath([...path, key]),
        ...at(isNode(keyNode) ? keyNode.range?.[0] : nodeOffset(doc, path)),
        message: `unknown key \`${key}\`${hint ? ` (did you mean \`${hint}\`?)` : ''}.${allowed}`,
      };
    });
  }

  // Find the node the issue is about, or the nearest parent that exists.
  let depth = path.length;
  let node = nodeAt(doc, path);
  while (node === undefined && depth > 0) {
    depth -= 1;
    node = nodeAt(doc, path.slice(0, depth));
  }
  const offset = node?.range?.[0];

  if (depth === path.length) {
    return [{ file, path: formatPath(path), ...at(offset), message: issue.message }];
  }
  if (isMap(node) && depth === path.length - 1 && issue.code === 'invalid_type') {
    // Point at the section that lacks the key: its own key (`triage:`) or, for a list item, its first line.
    const key = String(path[depth]);
    const sectionOffset = mapKeyOffset(doc, path.slice(0, depth)) ?? offset;
    return [
      {
        file,
        path: formatPath(path),
        ...at(sectionOffset),
        message: `missing key \`${key}\`; it ${issue.message}`,
      },
    ];
  }
  if (isMap(node)) {
    return [{ file, path: formatPath(path), ...at(offset), message: issue.message }];
  }
  // The value was written in a short form (e.g. a keyword as a plain string): point at what is written.
  return [{ file, path: formatPath(path.slice(0, depth)), ...at(offset), message: issue.message }];
}

function nodeAt(doc: YamlDocument, path: readonly Segment[]): Node | undefined {
  const found = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isNode(found) && found.range ? found : undefined;
}

/** Where the key of the entry at `path` is written, when that entry sits in a mapping. */
function mapKeyOffset(doc: YamlDocument, path: readonly Segment[]): number | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = nodeAt(doc, path.slice(0, -1));
  if (!isMap(parent)) return undefined;
  const key = parent.items.find((p) => isPair(p) && keyText(p.key) === last)?.key;
  return isNode(key) ? key.range?.[0] : undefined;
}

function nodeOffset(doc: YamlDocument, path: readonly Segment[]): number | undefined {
  return nodeAt(doc, path)?.range?.[0];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const key = (p: ConfigProblem) => (p.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (p.column ?? 0);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => key(a.p) - key(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/** `departments[1].routing.keywords[0]` */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** The closest allowed key, when it is close enough to be a likely typo. */
function suggest(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate);
    if (best === undefined || distance < best.distance) best = { key: candidate, distance };
  }
  if (best === undefined) return undefined;
  return best.distance <= Math.max(1, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** One line per problem: `data/org.yaml:14:7 departments[1].channel: <message>`. */
export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  return problems
    .map((p) => {
      const where =
        p.line === undefined ? p.file : `${p.file}:${p.line}${p.column === undefined ? '' : `:${p.column}`}`;
      return p.path === '' ? `${where} ${p.message}` : `${where} ${p.path}: ${p.message}`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Reloadable store

export type OrgConfigLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export type OrgConfigStore = {
  /** The last good config. */
  current(): OrgConfig;
  /** Re-read the file; on failure keep the last good config and return the problems. */
  reload(): OrgConfigResult;
  /** Called after each successful reload; returns an unsubscribe function. */
  onChange(listener: (config: OrgConfig) => void): () => void;
};

/**
 * Holds the org config for the running app. Without `initial` it loads the file once and throws an Error
 * listing every problem (boot fails loudly); with `initial` it starts from that config.
 */
export function createOrgConfigStore(options: {
  path: string;
  logger: OrgConfigLogger;
  initial?: OrgConfig;
  /** Turns names in the file into ids (from the cache of Slack look-ups). */
  names?: NameLookup;
}): OrgConfigStore {
  const { path, logger, names } = options;
  let config: OrgConfig;
  if (options.initial !== undefined) {
    config = options.initial;
  } else {
    const first = loadOrgConfig(path, names);
    if (!first.ok) throw new Error(formatConfigProblems(first.problems));
    config = first.config;
  }
  const listeners = new Set<(config: OrgConfig) => void>();

  return {
    current: () => config,
    reload() {
      const result = loadOrgConfig(path, names);
      if (!result.ok) {
        logger.error({ problems: result.problems }, 'org config reload failed; keeping the last good config');
        return result;
      }
      config = result.config;
      logger.info({ path, departments: config.departments.length }, 'org config reloaded');
      for (const listener of [...listeners]) {
        try {
          listener(config);
        } catch (err) {
          logger.error({ err }, 'org config change listener failed');
        }
      }
      return result;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Pure look-ups

/**
 * A department by id or name, ignoring case, accents and punctuation: "customer success",
 * "Customer-Success" and "customer-success" all find id `customer-success`.
 */
export function findDepartment(config: OrgConfig, nameOrId: string): Department | undefined {
  const exact = config.departments.find((d) => d.id === nameOrId);
  if (exact) return exact;
  const key = nameKey(nameOrId);
  if (key === '') return undefined;
  return config.departments.find((d) => nameKey(d.id) === key || nameKey(d.name) === key);
}

/** Departments that list the user as a member or lead (user-group membership needs Slack, so it is not here). */
export function departmentsOfUser(config: OrgConfig, userId: string): Department[] {
  return config.departments.filter((d) => d.members.includes(userId) || d.leads.includes(userId));
}

export function isAdmin(config: OrgConfig, userId: string): boolean {
  return config.admins.includes(userId);
}

/** An admin, or the lead of at least one department. */
export function isLeadOrAdmin(config: OrgConfig, userId: string): boolean {
  return isAdmin(config, userId) || config.departments.some((d) => d.leads.includes(userId));
}
