import { describe, expect, it } from 'vitest';
import type { Headline, ManagerDigest } from '../../src/digest/compose.js';
import { digestBlocks, digestPreviewResponse, trendText, withChange } from '../../src/digest/render.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { orgConfig } from '../support/org-fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-16T08:00:00Z');

const headline = (n: number): Headline => ({
  received: n,
  resolved: n,
  openAtEnd: n,
  medianMsToAcknowledge: n === 0 ? undefined : n * HOUR,
  medianMsToResolve: n === 0 ? undefined : n * DAY,
  slaBreaches: n,
  kudosReceived: n,
  kudosGiven: n,
  kudosFromOtherTeams: n,
  kudosToOtherTeams: n,
  firstTimeRight: {
    received: 4 * n,
    resolved: 2 * n,
    reopened: n,
    passedOn: n,
    resolutions: 2 * n,
    handoffs: n,
  },
  customerPraise: n,
});

function digest(overrides: Partial<ManagerDigest> = {}): ManagerDigest {
  const config = orgConfig();
  return {
    managerId: 'U0MANAGER1',
    timezone: 'Europe/Berlin',
    period: { start: T0, end: T0 + 7 * DAY },
    previousPeriod: { start: T0 - 7 * DAY, end: T0 },
    departments: config.departments.map((department) => ({ department, headline: headline(1) })),
    current: headline(5),
    previous: headline(3),
    byKind: [['complaint', 4]],
    bySeverity: [['high', 2]],
    contactMix: [
      ['email', 3],
      ['', 1],
    ],
    themes: [{ term: '<!channel> refund', count: 3 }],
    // Three themes with the longest names and counts a lead could give them.
    topThemes: [1, 2, 3].map((n) => ({
      id: 1000 + n,
      reference: `TH-${1000 + n}`,
      name: `<!channel> ${'very long theme name '.repeat(20)}`,
      count: 99_999,
      impact: 123_456.7,
      previousCount: 88_888,
      weekly: [1, 2, 3, 4, 5, 6, 7, 99_999],
      examples: [],
    })),
    atRisk: [
      {
        customerId: 1,
        complaints: 1,
        latestItemId: 42,
        departmentId: 'billing',
        postChannelId: 'C0BILLING1',
        postTs: '1.000042',
        complaintsInWindow: 3,
        complaintsThisWeek: 2,
      },
    ],
    atRiskDays: 30,
    oldestOpen: Array.from({ length: 5 }, (_, i) => ({
      id: i + 1,
      departmentId: 'billing',
      severity: 'high',
      kind: 'complaint',
      status: 'new',
      createdAt: T0 - i * DAY,
      postChannelId: 'C0BILLING1',
      postTs: '1.000001',
    })),
    openCount: 5,
    outcomes: {
      total: {
        current: {
          contacted: { told: 3, resolved: 4 },
          outcomes: { kept: 3, cameBack: 1, lost: 1, unknown: 0, reasons: { '<!here> price': 1 } },
        },
        previous: {
          contacted: { told: 1, resolved: 2 },
          outcomes: { kept: 1, cameBack: 0, lost: 0, unknown: 1, reasons: {} },
        },
      },
      each: new Map(),
    },
    values: [['ownership', 4]],
    highlights: [
      {
        kudosId: 1,
        giverId: 'U0GIVER001',
        recipientIds: ['U0RECIP001'],
        reason: 'Fixed it <!here> & stayed late '.repeat(40),
        valueIds: [],
        createdAt: T0,
        postChannelId: undefined,
        postTs: undefined,
      },
    ],
    unrecognised: Array.from({ length: 40 }, (_, i) => `U0PERSON${String(i).padStart(2, '0')}`),
    unrecognisedWeeks: 4,
    satisfaction: {
      current: { answers: 4, scoreSum: 14, satisfied: 3 },
      previous: { answers: 2, scoreSum: 5, satisfied: 1 },
      departments: config.departments.map((department, i) => ({
        department,
        current:
          i === 0 ? { answers: 4, scoreSum: 14, satisfied: 3 } : { answers: 0, scoreSum: 0, satisfied: 0 },
        previous:
          i === 0 ? { answers: 2, scoreSum: 5, satisfied: 1 } : { answers: 0, scoreSum: 0, satisfied: 0 },
      })),
    },
    trend: {
      weeks: Array.from({ length: 8 }, (_, i) => ({
        start: T0 - (7 - i) * 7 * DAY,
        end: T0 - (6 - i) * 7 * DAY,
      })),
      received: [1, 2, 3, 4, 5, 6, 7, 8],
      resolved: [0, 0, 0, 0, 0, 0, 0, 0],
      kudos: [3, 3, 3, 3, 3, 3, 3, 3],
    },
    ...overrides,
  };
}

const options = {
  title: 'Weekly digest: week of 16 Nov',
  chartUploaded: false,
  links: new Map([[1, 'https://test.slack.com/archives/C0BILLING1/p1000001']]),
  valueLabels: new Map([['ownership', 'Ownership <@U0SNEAKY1>']]),
};

describe('digest rendering', () => {
  it('fits Slack limits and never lets user text ping anyone', () => {
    const blocks = digestBlocks(digest(), options);
    expect(validateMessageBlocks(blocks)).toEqual([]);
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U0SNEAKY1>');
    expect(json).toContain('&lt;!channel&gt; refund (3)');
    expect(json).toContain('*Top themes by impact*\\n1. *TH-1001* &lt;!channel&gt; very long');
    expect(json).toContain('99999 items (↑ from 88888 last week), impact 123456.7');
    expect(json).toContain('<https://test.slack.com/archives/C0BILLING1/p1000001|FB-1>');
    expect(json).toContain('and 25 more');
  });

  it('lists many departments in whole lines over several sections, within the block limit', () => {
    const config = orgConfig();
    const base = config.departments[0];
    if (!base) throw new Error('fixture');
    const many = Array.from({ length: 120 }, (_, i) => ({
      department: {
        ...base,
        id: `team-${i}`,
        name: `Team number ${i} <!here>`,
        channel: `C0TEAM${String(i).padStart(4, '0')}`,
      },
      headline: headline(2),
    }));
    const blocks = digestBlocks(digest({ departments: many }), options);
    expect(validateMessageBlocks(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const json = JSON.stringify(blocks);
    expect(json).toContain('Team number 119');
    expect(json).not.toMatch(/<#C0TEAM\d*…/); // no link cut in half
    expect(json).not.toContain('<!here>');
  });

  it('states each change against last week', () => {
    expect(withChange(5, 3)).toBe('5 (▲ 2 vs last week)');
    expect(withChange(1, 4)).toBe('1 (▼ 3 vs last week)');
    expect(withChange(2, 2)).toBe('2 (= last week)');
    expect(JSON.stringify(digestBlocks(digest(), options))).toContain('5 (▲ 2 vs last week)');
  });

  it('shows the trend as a sparkline unless the chart went up just before', () => {
    expect(trendText(digest())).toContain('▁▂▃▄▅▆▇█');
    expect(JSON.stringify(digestBlocks(digest(), options))).toContain('Eight-week trend');
    const withChart = JSON.stringify(digestBlocks(digest(), { ...options, chartUploaded: true }));
    expect(withChart).not.toContain('▁▂▃');
    expect(withChart).toContain('chart is just above');
  });

  it('explains to a non-manager and to a manager without departments why there is no digest', () => {
    const config = orgConfig();
    expect(digestPreviewResponse({ kind: 'not-a-manager', admins: ['U0ADMIN001'] }, config).text).toContain(
      'ask <@U0ADMIN001>',
    );
    expect(digestPreviewResponse({ kind: 'no-departments', admins: [] }, config).text).toContain(
      'with no departments',
    );
  });
});
