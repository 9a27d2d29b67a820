import { describe, expect, it } from 'vitest';
import { parseOrgConfig } from '../../src/config/org.js';

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
