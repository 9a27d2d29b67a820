import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ConfigProblem,
  createOrgConfigStore,
  departmentsOfUser,
  findDepartment,
  formatConfigProblems,
  isAdmin,
  loadOrgConfig,
  type OrgConfig,
  type OrgConfigLogger,
  type OrgConfigResult,
  parseOrgConfig,
} from '../../src/config/org.js';

const EXAMPLE_PATH = fileURLToPath(new URL('../../data/org.example.yaml', import.meta.url));

/** The smallest valid file; tests splice their mistakes into copies of it. */
const MINIMAL = `company:
  name: Acme Outdoor
  promise: Every order arrives ready for the trail.
triage:
  channel: C0TRIAGE01
departments:
  - id: billing
    name: Billing
    channel: C0BILLING1
`;

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtesy-loop-org-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeConfig(text: string, name = 'org.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function load(text: string): OrgConfigResult {
  return loadOrgConfig(writeConfig(text));
}

function loadOk(text: string): OrgConfig {
  const result = load(text);
  if (!result.ok) throw new Error(`expected a valid config, got:\n${formatConfigProblems(result.problems)}`);
  return result.config;
}

function loadProblems(text: string): ConfigProblem[] {
  const result = load(text);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems;
}

function problemAt(problems: ConfigProblem[], keyPath: string): ConfigProblem {
  const found = problems.find((p) => p.path === keyPath);
  if (!found) {
    throw new Error(
      `no problem at ${keyPath}; got:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    );
  }
  return found;
}

/** 1-based line and column of the first occurrence of `needle`. */
function positionOf(text: string, needle: string, from = 0): { line: number; column: number } {
  const index = text.indexOf(needle, from);
  if (index < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function fakeLogger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() } satisfies OrgConfigLogger;
}

describe('loadOrgConfig: valid files', () => {
  it('loads the committed example', () => {
    const result = loadOrgConfig(EXAMPLE_PATH);
    if (!result.ok) throw new Error(formatConfigProblems(result.problems));
    const { config } = result;
    expect(config.company.name).toBe('Acme Outdoor');
    expect(config.departments.map((d) => d.id)).toEqual(['billing', 'shipping', 'product', 'support']);
    const billing = findDepartment(config, 'billing');
    expect(billing?.routing.keywords).toContainEqual({ term: 'invoice', weight: 1 });
    expect(billing?.routing.keywords).toContainEqual({ term: 'charged', weight: 2 });
    expect(billing?.routing.phrases).toContainEqual({ term: 'double charge', weight: 3 });
    expect(billing?.routing.patterns[0]).toEqual({ pattern: '\\bINV-\\d{4,}\\b', weight: 1 });
    expect(new RegExp(billing?.routing.patterns[0]?.pattern ?? '', 'iu').test('about INV-20931')).toBe(true);
    expect(findDepartment(config, 'shipping')?.timezone).toBe('Europe/Amsterdam');
    expect(findDepartment(config, 'product')?.timezone).toBe('Europe/Berlin');
  });

  it('reads the feedback language for themes (English by default) and refuses one it cannot stem', () => {
    expect(loadOk(MINIMAL).language).toBe('en');
    expect(loadOk(MINIMAL.replace('triage:', 'language: fr\ntriage:')).language).toBe('fr');
    const problem = problemAt(
      loadProblems(MINIMAL.replace('triage:', 'language: klingon\ntriage:')),
      'language',
    );
    expect(problem.message).toContain('must be one of en, de, fr, es, pt, nl');
    expect(problem.line).toBe(MINIMAL.split('\n').findIndex((l) => l.startsWith('triage:')) + 1);
  });

  it('fills in every default', () => {
    const config = loadOk(MINIMAL);
    expect(config.timezone).toBe('UTC');
    expect(config.admins).toEqual([]);
    expect(config.feedback).toEqual({
      max_details_length: 20_000,
      similarity: { threshold: 0.5, window_days: 14 },
      at_risk: { complaints: 3, days: 30 },
      follow_up: {
        after_days: 30,
        reminder_days: 7,
        schedule: '0 10 * * 1-5',
        leave_reasons: ['price', 'quality', 'service', 'competitor', 'other'],
      },
      reopen_within_days: 30,
    });
    const [billing] = config.departments;
    expect(billing).toEqual({
      id: 'billing',
      name: 'Billing',
      channel: 'C0BILLING1',
      timezone: 'UTC',
      leads: [],
      members: [],
      commitments: [],
      routing: { keywords: [], phrases: [], patterns: [] },
    });
  });

  it('lets a department inherit the top-level timezone unless it sets its own', () => {
    const config =
      loadOk(`${MINIMAL.replace('triage:', 'timezone: America/New_York\ntriage:')}  - id: shipping
    name: Shipping
    channel: C0SHIPPIN2
    timezone: Europe/Amsterdam
`);
    expect(config.timezone).toBe('America/New_York');
    expect(config.departments.map((d) => [d.id, d.timezone])).toEqual([
      ['billing', 'America/New_York'],
      ['shipping', 'Europe/Amsterdam'],
    ]);
  });

  it('normalises routing rules to { term | pattern, weight }', () => {
    const config = loadOk(`${MINIMAL}    routing:
      keywords: [invoice, { term: charged, weight: 2 }]
      phrases: ["double charge", { term: credit card, weight: 3 }]
      patterns: ['\\bINV-\\d{4,}\\b', { pattern: 'refund(ed)?', weight: 0.5 }]
`);
    expect(config.departments[0]?.routing).toEqual({
      keywords: [
        { term: 'invoice', weight: 1 },
        { term: 'charged', weight: 2 },
      ],
      phrases: [
        { term: 'double charge', weight: 1 },
        { term: 'credit card', weight: 3 },
      ],
      patterns: [
        { pattern: '\\bINV-\\d{4,}\\b', weight: 1 },
        { pattern: 'refund(ed)?', weight: 0.5 },
      ],
    });
  });

  it('treats an optional key with nothing after it as left out', () => {
    const config = loadOk(`${MINIMAL.replace('triage:', 'admins:\nfeedback:\ntriage:')}    leads:
    routing:
`);
    expect(config.admins).toEqual([]);
    expect(config.feedback.max_details_length).toBe(20_000);
    expect(config.departments[0]?.leads).toEqual([]);
    expect(config.departments[0]?.routing).toEqual({ keywords: [], phrases: [], patterns: [] });
  });
});

describe('loadOrgConfig: problems name the key path and line', () => {
  it('reports a typo in a key at its exact line, with a suggestion', () => {
    const text = MINIMAL.replace('    channel: C0BILLING1', '    chanel: C0BILLING1');
    const problems = loadProblems(text);
    const typo = problemAt(problems, 'departments[0].chanel');
    expect(typo).toMatchObject({ ...positionOf(text, 'chanel:'), file: path.join(dir, 'org.yaml') });
    expect(typo.message).toContain('unknown key `chanel`');
    expect(typo.message).toContain('did you mean `channel`?');
    // The key it should have been is missing too; that is reported at the department's first line.
    const missing = problemAt(problems, 'departments[0].channel');
    expect(missing.message).toMatch(/^missing key `channel`/);
    expect(missing.line).toBe(positionOf(text, '- id: billing').line);
  });

  it('reports an unknown top-level key and an unknown key in a rule', () => {
    const text = `${MINIMAL.replace('triage:', 'timezones: UTC\ntriage:')}    routing:
      keywords: [{ term: charged, wieght: 2 }]
`;
    const problems = loadProblems(text);
    expect(problemAt(problems, 'timezones')).toMatchObject({
      line: positionOf(text, 'timezones').line,
      column: 1,
    });
    expect(problemAt(problems, 'departments[0].routing.keywords[0].wieght')).toMatchObject(
      positionOf(text, 'wieght'),
    );
  });

  it('points a missing section key at the section', () => {
    const text = MINIMAL.replace('  channel: C0TRIAGE01\n', '  chan: C0TRIAGE01\n');
    const missing = problemAt(loadProblems(text), 'triage.channel');
    expect(missing.line).toBe(positionOf(text, 'triage:').line);
    expect(missing.message).toContain('missing key `channel`');
  });

  it('reports a malformed channel id with its line and what a valid id looks like', () => {
    const text = MINIMAL.replace('C0BILLING1', 'billing-team');
    const problem = problemAt(loadProblems(text), 'departments[0].channel');
    expect(problem).toMatchObject(positionOf(text, 'billing-team'));
    expect(problem.message).toContain('C0123ABCD');
    expect(problem.message).toContain('"#billing"');
  });

  it('accepts names, and explains the quotes when an unquoted #channel became a YAML comment', () => {
    const named = MINIMAL.replace('C0BILLING1', '"#billing"');
    expect(parseOrgConfig(named, 'org.yaml').ok).toBe(true);
    const unquoted = MINIMAL.replace('C0BILLING1', '#billing');
    const problem = problemAt(loadProblems(unquoted), 'departments[0].channel');
    expect(problem.message).toContain('YAML reads # as a comment');
  });

  it('reports malformed user and user group ids', () => {
    const text = `${MINIMAL.replace('triage:', 'admins: [U0ADMIN01, alice]\ntriage:')}    usergroup: billing-people
`;
    const problems = loadProblems(text);
    expect(problemAt(problems, 'admins[1]')).toMatchObject(positionOf(text, 'alice'));
    expect(problemAt(problems, 'admins[1]').message).toContain('U0123ABCD');
    expect(problemAt(problems, 'departments[0].usergroup').message).toContain('S0123ABCD');
  });

  it('rejects duplicate department ids', () => {
    const text = `${MINIMAL}  - id: billing
    name: Invoices
    channel: C0BILLING2
`;
    const problem = problemAt(loadProblems(text), 'departments[1].id');
    expect(problem.line).toBe(positionOf(text, '- id: billing', text.lastIndexOf('- id: billing')).line);
    expect(problem.message).toContain('duplicate department id `billing`');
    expect(problem.message).toContain('departments[0]');
  });

  it('rejects department names that repeat another name or id, ignoring case and accents', () => {
    const text = `${MINIMAL}  - id: billing-eu
    name: BÍLLING
    channel: C0BILLING2
  - id: finance
    name: Billing EU
    channel: C0FINANCE3
`;
    const problems = loadProblems(text);
    const accented = problemAt(problems, 'departments[1].name');
    expect(accented).toMatchObject(positionOf(text, 'BÍLLING'));
    expect(accented.message).toContain('duplicate department name');
    // "Billing EU" folds to the same key as the id "billing-eu".
    expect(problemAt(problems, 'departments[2].name').message).toContain('id `billing-eu`');
  });

  it('refuses more departments than a Slack menu can offer', () => {
    const many = Array.from(
      { length: 101 },
      (_, i) => `  - id: team-${i}\n    name: Team ${i}\n    channel: C0TEAM${String(i).padStart(4, '0')}\n`,
    ).join('');
    const text = MINIMAL.replace(/departments:[\s\S]*$/, `departments:\n${many}`);
    expect(problemAt(loadProblems(text), 'departments').message).toContain('at most 100 departments');
  });

  it('requires at least one department and a valid slug', () => {
    const empty = problemAt(
      loadProblems(MINIMAL.replace(/departments:[\s\S]*$/, 'departments: []\n')),
      'departments',
    );
    expect(empty.message).toContain('at least one department');
    const text = MINIMAL.replace('id: billing', 'id: Billing_Team');
    expect(problemAt(loadProblems(text), 'departments[0].id')).toMatchObject(
      positionOf(text, 'Billing_Team'),
    );
  });

  it('validates reminder schedules at load and defaults their time zone to the department', () => {
    const good = loadOk(`${MINIMAL}    timezone: Asia/Tokyo
    reminder:
      schedule: "0 9 * * 1"
`);
    expect(good.departments[0]?.reminder).toEqual({ schedule: '0 9 * * 1', timezone: 'Asia/Tokyo' });
    expect(good.reminders.catch_up_minutes).toBe(180);

    const text = `${MINIMAL}    reminder:
      schedule: "0 25 * * 1"
`;
    const problem = problemAt(loadProblems(text), 'departments[0].reminder.schedule');
    expect(problem).toMatchObject({ line: positionOf(text, '"0 25').line });
    expect(problem.message).toContain('not a valid cron schedule');
    const fields = problemAt(
      loadProblems(`${MINIMAL}    reminder:\n      schedule: every monday\n`),
      'departments[0].reminder.schedule',
    );
    expect(fields.message).toContain('must have 5 fields');
  });

  it('reads the delivery section with Slack-paced defaults, and names a bad value', () => {
    expect(loadOk(MINIMAL).delivery).toEqual({
      retry_hours: 24,
      per_channel_interval_ms: 1000,
      per_channel_burst: 3,
      max_per_second: 20,
    });
    const off = loadOk(
      `${MINIMAL}delivery:\n  per_channel_interval_ms: 0\n  max_per_second: 0\n  retry_hours: 2\n`,
    );
    expect(off.delivery).toMatchObject({ per_channel_interval_ms: 0, max_per_second: 0, retry_hours: 2 });
    const text = `${MINIMAL}delivery:\n  retry_hours: 0\n`;
    const problem = problemAt(loadProblems(text), 'delivery.retry_hours');
    expect(problem.message).toContain('from 0.1 to 720');
  });

  it('reads managers and the digest section, expanding all and defaulting time zones', () => {
    const good = loadOk(`${MINIMAL}  - id: shipping
    name: Shipping
    channel: C0SHIPPIN1
timezone: Europe/Berlin
managers:
  - user: U0MANAGER1
    departments: all
  - user: U0MANAGER2
    departments: [shipping, shipping]
    timezone: America/New_York
  - user: U0MANAGER3
    departments: []
`);
    expect(good.managers).toEqual([
      { user: 'U0MANAGER1', departments: ['billing', 'shipping'], timezone: 'Europe/Berlin' },
      { user: 'U0MANAGER2', departments: ['shipping'], timezone: 'America/New_York' },
      { user: 'U0MANAGER3', departments: [], timezone: 'Europe/Berlin' },
    ]);
    expect(good.digest).toEqual({
      schedule: '0 9 * * 1',
      timezone: 'Europe/Berlin',
      catch_up_hours: 48,
      unrecognised_weeks: 4,
      charts: true,
    });
  });

  it('rejects unknown department ids, repeated managers and a bad digest schedule, at their lines', () => {
    const text = `${MINIMAL}managers:
  - user: U0MANAGER1
    departments: [billing, marketing]
  - user: U0MANAGER1
    departments: all
digest:
  schedule: "0 9 * * 8"
`;
    const problems = loadProblems(text);
    expect(problemAt(problems, 'managers[0].departments[1]')).toMatchObject({
      line: positionOf(text, 'marketing').line,
      message: expect.stringContaining('known ids: billing'),
    });
    expect(problemAt(problems, 'managers[1].user').message).toContain('repeats manager U0MANAGER1');
    expect(problemAt(problems, 'digest.schedule').message).toContain('not a valid cron schedule');
  });

  it('accepts commitments as sentences or with a measure the numbers can check', () => {
    const config = loadOk(`${MINIMAL}    commitments:
      - Explain every charge in plain words
      - text: Acknowledge complaints within 4 hours
        measure: median_hours_to_acknowledge
        target: 4
`);
    expect(config.departments[0]?.commitments).toEqual([
      { text: 'Explain every charge in plain words' },
      { text: 'Acknowledge complaints within 4 hours', measure: 'median_hours_to_acknowledge', target: 4 },
    ]);
    const text = `${MINIMAL}    commitments:
      - text: Be fast
        measure: speed
        target: 4
`;
    expect(problemAt(loadProblems(text), 'departments[0].commitments[0]').message).toMatch(
      /measure|commitment/,
    );
  });

  it('rejects a regex that does not compile', () => {
    const text = `${MINIMAL}    routing:
      patterns:
        - '\\bINV-\\d{4,}\\b'
        - '(unclosed'
`;
    const problem = problemAt(loadProblems(text), 'departments[0].routing.patterns[1]');
    expect(problem).toMatchObject(positionOf(text, "'(unclosed'"));
    expect(problem.message).toContain('not a valid regular expression');
  });

  it('rejects regexes that can match an empty string', () => {
    const text = `${MINIMAL}    routing:
      patterns: ['x*', { pattern: '\\b', weight: 2 }, 'refund|']
`;
    const problems = loadProblems(text);
    expect(problemAt(problems, 'departments[0].routing.patterns[0]').message).toContain('empty string');
    expect(problemAt(problems, 'departments[0].routing.patterns[1].pattern').message).toContain(
      'empty string',
    );
    expect(problemAt(problems, 'departments[0].routing.patterns[2]').message).toContain('empty string');
    expect(problems).toHaveLength(3);
  });

  it('checks that keywords are one word, phrases two or more, and weights in range', () => {
    const text = `${MINIMAL}    routing:
      keywords: [credit card, { term: refund, weight: 0 }, invoice, Invoice]
      phrases: [invoice]
`;
    const problems = loadProblems(text);
    expect(problemAt(problems, 'departments[0].routing.keywords[0]').message).toContain('one word');
    expect(problemAt(problems, 'departments[0].routing.keywords[1].weight').message).toContain('0.1 to 100');
    expect(problemAt(problems, 'departments[0].routing.keywords[3]').message).toContain('repeats `Invoice`');
    expect(problemAt(problems, 'departments[0].routing.phrases[0]').message).toContain('two or more words');
  });

  it('reads a department SLA: durations in ms, business hours in minutes, days defaulting to weekdays', () => {
    const config = loadOk(`${MINIMAL}    sla:
      targets:
        urgent: { acknowledge: 30m, resolve: 8h }
        normal: { resolve: 2d }
      business_hours: { start: "09:00", end: "17:30" }
`);
    expect(config.departments[0]?.sla).toEqual({
      targets: { urgent: { acknowledge: 1_800_000, resolve: 28_800_000 }, normal: { resolve: 172_800_000 } },
      business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: 540, end: 1050 },
      triage_after: 14_400_000,
    });
  });

  it('reports bad SLA durations, times and days at their keys', () => {
    const text = `${MINIMAL}    sla:
      targets:
        high: { acknowledge: 4 hours }
      business_hours: { days: [mon, funday], start: "9am", end: "17:00" }
      triage_after: soon
`;
    const problems = loadProblems(text);
    expect(problemAt(problems, 'departments[0].sla.targets.high.acknowledge').message).toContain('90m');
    expect(problemAt(problems, 'departments[0].sla.business_hours.days[1]').message).toContain('mon');
    expect(problemAt(problems, 'departments[0].sla.business_hours.start').message).toContain('09:00');
    expect(problemAt(problems, 'departments[0].sla.triage_after')).toMatchObject(positionOf(text, 'soon'));
  });

  it('rejects unknown time zones, top-level and per department', () => {
    const text = `${MINIMAL.replace('triage:', 'timezone: Mars/Olympus\ntriage:')}    timezone: Europe/Nowhere
`;
    const problems = loadProblems(text);
    expect(problemAt(problems, 'timezone')).toMatchObject(positionOf(text, 'Mars/Olympus'));
    expect(problemAt(problems, 'timezone').message).toContain('IANA');
    expect(problemAt(problems, 'departments[0].timezone')).toMatchObject(positionOf(text, 'Europe/Nowhere'));
  });

  it('reports YAML syntax errors with their line, without validating', () => {
    const tabs = loadProblems(MINIMAL.replace('  name: Acme Outdoor', '\tname: Acme Outdoor'));
    expect(tabs[0]).toMatchObject({ path: '', line: 2, column: 1 });
    expect(tabs[0]?.message).toMatch(/^YAML syntax error: .*[Tt]ab/);
    // Only syntax errors: the broken document is not validated too.
    expect(tabs.every((p) => p.path === '' && p.message.startsWith('YAML syntax error'))).toBe(true);

    const duplicateKey = loadProblems(`${MINIMAL}company:\n  name: Again\n`);
    expect(duplicateKey[0]).toMatchObject({ line: 10, column: 1 });
    expect(duplicateKey[0]?.message).toContain('unique');
  });

  it('reports an empty file as one problem', () => {
    const problems = loadProblems('# nothing here yet\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('data/org.example.yaml');
  });

  it('reports a missing file with the command that creates it', () => {
    const missing = path.join(dir, 'nope.yaml');
    const result = loadOrgConfig(missing);
    expect(result).toEqual({
      ok: false,
      problems: [{ file: missing, path: '', message: expect.stringContaining('file not found') }],
    });
    if (!result.ok) expect(result.problems[0]?.message).toContain('cp data/org.example.yaml');
  });

  it('orders problems by line and formats one line each', () => {
    const text = MINIMAL.replace('C0TRIAGE01', 'triage').replace('C0BILLING1', 'billing');
    const problems = loadProblems(text);
    const file = path.join(dir, 'org.yaml');
    expect(formatConfigProblems(problems).split('\n')).toEqual([
      `${file}:5:12 triage.channel: ${problems[0]?.message}`,
      `${file}:9:14 departments[0].channel: ${problems[1]?.message}`,
    ]);
    expect(formatConfigProblems([{ file: 'data/org.yaml', path: '', message: 'file not found' }])).toBe(
      'data/org.yaml file not found',
    );
  });
});

describe('createOrgConfigStore', () => {
  it('fails loudly at boot with every problem listed', () => {
    const file = writeConfig(MINIMAL.replace('C0BILLING1', 'billing').replace('C0TRIAGE01', 'triage'));
    expect(() => createOrgConfigStore({ path: file, logger: fakeLogger() })).toThrow(
      /org\.yaml:5:12 triage\.channel: .*\n.*org\.yaml:9:14 departments\[0\]\.channel: /,
    );
  });

  it('keeps the last good config when a reload fails, and reports the problems', () => {
    const file = writeConfig(MINIMAL);
    const logger = fakeLogger();
    const store = createOrgConfigStore({ path: file, logger });
    const listener = vi.fn();
    store.onChange(listener);
    const before = store.current();

    fs.writeFileSync(file, MINIMAL.replace('C0BILLING1', 'nope'));
    const result = store.reload();

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['departments[0].channel']);
    expect(store.current()).toBe(before);
    expect(store.current().departments[0]?.channel).toBe('C0BILLING1');
    expect(listener).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledWith(
      { problems: expect.arrayContaining([expect.objectContaining({ path: 'departments[0].channel' })]) },
      'org config reload failed; keeping the last good config',
    );
  });

  it('swaps in a good reload and notifies listeners until they unsubscribe', () => {
    const file = writeConfig(MINIMAL);
    const store = createOrgConfigStore({ path: file, logger: fakeLogger() });
    const listener = vi.fn();
    const unsubscribe = store.onChange(listener);

    fs.writeFileSync(file, MINIMAL.replace('C0BILLING1', 'C0BILLING9'));
    const result = store.reload();

    expect(result.ok).toBe(true);
    expect(store.current().departments[0]?.channel).toBe('C0BILLING9');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(store.current());

    unsubscribe();
    fs.writeFileSync(file, MINIMAL.replace('C0BILLING1', 'C0BILLING8'));
    store.reload();
    expect(store.current().departments[0]?.channel).toBe('C0BILLING8');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('starts from an initial config without reading the file', () => {
    const initial = loadOk(MINIMAL);
    const store = createOrgConfigStore({
      path: path.join(dir, 'missing.yaml'),
      logger: fakeLogger(),
      initial,
    });
    expect(store.current()).toBe(initial);
    expect(store.reload().ok).toBe(false);
    expect(store.current()).toBe(initial);
  });
});

describe('look-ups', () => {
  const config = (): OrgConfig =>
    loadOk(`${MINIMAL.replace('triage:', 'admins: [U0ADMIN01]\ntriage:')}    leads: [U0LEADAA1]
  - id: customer-success
    name: Customer Success
    channel: C0CUSTSUC1
    members: [U0MEMBER1, U0LEADAA1]
  - id: facturacion
    name: Facturación España
    channel: C0FACTURA1
`);

  it('finds a department by id or name, ignoring case, accents and punctuation', () => {
    const c = config();
    for (const query of [
      'customer-success',
      'Customer Success',
      'customer success',
      'Customer-Success',
      ' CUSTOMER success ',
    ]) {
      expect(findDepartment(c, query)?.id, query).toBe('customer-success');
    }
    expect(findDepartment(c, 'billing')?.id).toBe('billing');
    expect(findDepartment(c, 'facturacion espana')?.id).toBe('facturacion');
    expect(findDepartment(c, 'FACTURACIÓN')?.id).toBe('facturacion');
    expect(findDepartment(c, 'shipping')).toBeUndefined();
    expect(findDepartment(c, '  ')).toBeUndefined();
  });

  it('lists the departments a user leads or belongs to', () => {
    const c = config();
    expect(departmentsOfUser(c, 'U0LEADAA1').map((d) => d.id)).toEqual(['billing', 'customer-success']);
    expect(departmentsOfUser(c, 'U0MEMBER1').map((d) => d.id)).toEqual(['customer-success']);
    expect(departmentsOfUser(c, 'U0NOBODY1')).toEqual([]);
  });

  it('knows who is an admin', () => {
    const c = config();
    expect(isAdmin(c, 'U0ADMIN01')).toBe(true);
    expect(isAdmin(c, 'U0LEADAA1')).toBe(false);
  });
});

describe('loadOrgConfig: the kudos section', () => {
  const withKudos = (section: string) => MINIMAL.replace('triage:', `kudos:\n${section}triage:`);

  it('is optional: a config without it has kudos turned off', () => {
    expect(loadOk(MINIMAL).kudos).toBeUndefined();
    expect(loadOk(MINIMAL.replace('triage:', 'kudos:\ntriage:')).kudos).toBeUndefined();
  });

  it('fills in every default from just a channel', () => {
    expect(loadOk(withKudos('  channel: C0KUDOS001\n')).kudos).toEqual({
      channel: 'C0KUDOS001',
      visibility: 'channel',
      daily_allowance: 5,
      per_recipient_daily_cap: 2,
      min_reason_length: 10,
      max_recipients: 10,
      values: [],
      require_value: false,
      undo_window_minutes: 60,
      withdraw_on_message_deleted: false,
      allowance_overrides: [],
    });
  });

  it('loads the example: values, the reaction, and overrides', () => {
    const result = loadOrgConfig(EXAMPLE_PATH);
    if (!result.ok) throw new Error(formatConfigProblems(result.problems));
    const kudos = result.config.kudos;
    expect(kudos?.values.map((v) => v.id)).toEqual(['ownership', 'customer-first', 'craft']);
    expect(kudos?.values[0]?.description).toContain('finish');
    expect(kudos?.reaction).toBe('clap');
    expect(kudos?.allowance_overrides).toEqual([
      { usergroup: 'S0MANAGERS', daily_allowance: 10 },
      { user: 'U0KAIKKK2', daily_allowance: 15 },
    ]);
  });

  it('accepts a reaction written with colons', () => {
    expect(loadOk(withKudos('  channel: C0KUDOS001\n  reaction: ":raised_hands:"\n')).kudos?.reaction).toBe(
      'raised_hands',
    );
  });

  it('reports every mistake in the section with its key path', () => {
    const text = withKudos(`  channel: kudos
  visibility: public
  daily_allowance: 0
  require_value: true
  reaction: "two words"
  allowance_overrides:
    - { user: U0ANAAAA1, usergroup: S0MANAGERS, daily_allowance: 3 }
    - { daily_allowance: 3 }
  dailly_allowance: 3
`);
    const problems = loadProblems(text);
    expect(problemAt(problems, 'kudos.channel').message).toContain(
      'channel: its name in quotes like "#billing"',
    );
    expect(problemAt(problems, 'kudos.visibility').message).toContain('thread');
    expect(problemAt(problems, 'kudos.daily_allowance').message).toContain('1 to 100');
    expect(problemAt(problems, 'kudos.reaction').message).toContain('emoji name');
    expect(problemAt(problems, 'kudos.allowance_overrides[0]').message).toContain('exactly one of');
    expect(problemAt(problems, 'kudos.allowance_overrides[1]').message).toContain('exactly one of');
    expect(problemAt(problems, 'kudos.dailly_allowance').message).toContain('did you mean `daily_allowance`');
  });

  it('requires values when a value is required, and refuses repeated value ids', () => {
    const required = loadProblems(withKudos('  channel: C0KUDOS001\n  require_value: true\n'));
    expect(problemAt(required, 'kudos.require_value').message).toContain('no `values`');
    const repeated = loadProblems(
      withKudos(`  channel: C0KUDOS001
  values:
    - { id: craft, label: Craft }
    - { id: Craft!, label: Craft again }
    - { id: craft, label: Craft again }
`),
    );
    expect(problemAt(repeated, 'kudos.values[1].id').message).toContain('lower-case');
    expect(problemAt(repeated, 'kudos.values[2].id').message).toContain('repeats value `craft`');
  });
});

describe('retention.customer_details_days', () => {
  it('is optional: without it, customer details are kept', () => {
    const result = parseOrgConfig(MINIMAL, 'org.yaml');
    expect(result.ok && result.config.retention.customer_details_days).toBeUndefined();
  });

  it('accepts a value at least as long as every window that reads customer names', () => {
    const result = parseOrgConfig(`${MINIMAL}retention:\n  customer_details_days: 30\n`, 'org.yaml');
    expect(result.ok && result.config.retention.customer_details_days).toBe(30);
  });

  it('refuses a value shorter than feedback.at_risk.days, naming the window, the line and the fix', () => {
    const result = parseOrgConfig(`${MINIMAL}retention:\n  customer_details_days: 20\n`, 'org.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.path).toBe('retention.customer_details_days');
    expect(result.problems[0]?.line).toBe(11);
    expect(result.problems[0]?.message).toContain('feedback.at_risk.days is 30');
    expect(result.problems[0]?.message).toContain('make it at least 30');
  });

  it('refuses a value shorter than feedback.similarity.window_days', () => {
    const yaml = `${MINIMAL}feedback:\n  at_risk:\n    days: 7\n  similarity:\n    window_days: 60\nretention:\n  customer_details_days: 10\n`;
    const result = parseOrgConfig(yaml, 'org.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]?.message).toContain('feedback.similarity.window_days is 60');
      expect(result.problems[0]?.message).not.toContain('at_risk');
    }
  });

  it('refuses a value that is not a whole number of days', () => {
    const result = parseOrgConfig(`${MINIMAL}retention:\n  customer_details_days: forever\n`, 'org.yaml');
    expect(!result.ok && result.problems[0]?.message).toContain('whole number of days');
  });
});
