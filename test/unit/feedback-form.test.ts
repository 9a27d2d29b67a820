import { describe, expect, it } from 'vitest';
import { parseFeedbackForm, parseFormMetadata } from '../../src/feedback/form.js';
import { FeedbackFormBlocks as B } from '../../src/slack/ids.js';
import { orgConfig } from '../support/org-fixture.js';

const config = orgConfig();
const input = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
const select = (value: string | null) => ({
  value: {
    type: 'static_select',
    selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value },
  },
});

function values(overrides: Record<string, unknown> = {}) {
  return {
    [B.customer]: input('Dana Reyes, acct 48213'),
    [B.contactChannel]: select('phone'),
    [B.kind]: select('complaint'),
    [B.severity]: select('high'),
    [B.department]: select(null),
    [B.summary]: input('  Charged twice   for March  '),
    [B.details]: input('She saw two charges on her card.'),
    ...overrides,
  };
}

describe('parseFeedbackForm', () => {
  it('accepts a complete form and tidies whitespace', () => {
    expect(parseFeedbackForm(values(), config)).toEqual({
      ok: true,
      value: {
        customer: 'Dana Reyes, acct 48213',
        contactChannel: 'phone',
        kind: 'complaint',
        severity: 'high',
        departmentId: undefined,
        summary: 'Charged twice for March',
        details: 'She saw two charges on her card.',
        helperIds: [],
      },
    });
  });

  it('treats empty optional fields as not given', () => {
    const r = parseFeedbackForm(
      values({ [B.customer]: input(null), [B.contactChannel]: select(null), [B.details]: input('') }),
      config,
    );
    expect(r).toMatchObject({
      ok: true,
      value: { customer: undefined, contactChannel: undefined, details: '' },
    });
  });

  it('reports each missing required field against its own block', () => {
    const r = parseFeedbackForm(
      values({ [B.summary]: input('   '), [B.kind]: select(null), [B.severity]: undefined }),
      config,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual([B.kind, B.severity, B.summary].sort());
  });

  it('refuses values that are not on the lists and departments that no longer exist', () => {
    const r = parseFeedbackForm(
      values({ [B.kind]: select('rant'), [B.department]: select('marketing') }),
      config,
    );
    expect(r).toMatchObject({
      ok: false,
      errors: { [B.kind]: expect.any(String), [B.department]: expect.stringContaining('no longer exists') },
    });
  });

  it('refuses over-long fields', () => {
    const r = parseFeedbackForm(
      values({ [B.summary]: input('x'.repeat(151)), [B.details]: input('y'.repeat(3001)) }),
      config,
    );
    expect(r).toMatchObject({
      ok: false,
      errors: { [B.summary]: expect.any(String), [B.details]: expect.any(String) },
    });
  });

  it('refuses state that is not shaped like Slack state', () => {
    expect(parseFeedbackForm('nonsense', config)).toMatchObject({ ok: false });
  });
});

describe("the form's who helped field", () => {
  const users = (ids: unknown) => ({ value: { type: 'multi_users_select', selected_users: ids } });

  it('reads the people picked, once each', () => {
    const r = parseFeedbackForm(
      values({ [B.whoHelped]: users(['U0LI000001', 'U0BO000001', 'U0LI000001']) }),
      config,
    );
    expect(r.ok && r.value.helperIds).toEqual(['U0LI000001', 'U0BO000001']);
  });

  it('refuses what is not a list of people, or too many, under its own field and with the others', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `U0PERSON${String(i).padStart(2, '0')}`);
    for (const wrong of [['not a user'], eleven, 'U0LI000001']) {
      const r = parseFeedbackForm(values({ [B.whoHelped]: users(wrong), [B.summary]: input('') }), config);
      expect(r.ok ? {} : Object.keys(r.errors).sort()).toEqual([B.summary, B.whoHelped].sort());
    }
  });
});

describe('parseFormMetadata', () => {
  it('reads what the modal stored and falls back safely on anything else', () => {
    expect(
      parseFormMetadata(
        JSON.stringify({ source: 'shortcut', sourceChannelId: 'C1', sourceMessageTs: '1.2' }),
      ),
    ).toEqual({
      source: 'shortcut',
      sourceChannelId: 'C1',
      sourceMessageTs: '1.2',
    });
    expect(parseFormMetadata('{not json')).toEqual({ source: 'modal' });
    expect(parseFormMetadata(undefined)).toEqual({ source: 'modal' });
  });
});
