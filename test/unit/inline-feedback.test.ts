import { describe, expect, it } from 'vitest';
import { interpretFeedbackCommand, parseInlineFeedback, splitSummary } from '../../src/feedback/inline.js';
import { orgConfig } from '../support/org-fixture.js';

const config = orgConfig();

describe('parseInlineFeedback', () => {
  it('takes a leading department name or id', () => {
    const r = parseInlineFeedback('billing: customer says the March invoice charged twice', config);
    expect(r).toMatchObject({
      ok: true,
      value: { department: { id: 'billing' }, summary: 'customer says the March invoice charged twice' },
    });
    expect(parseInlineFeedback('Product & App: the app crashes', config)).toMatchObject({
      ok: true,
      value: { department: { id: 'product' } },
    });
    expect(parseInlineFeedback('SHIPPING : parcel lost', config)).toMatchObject({
      ok: true,
      value: { department: { id: 'shipping' } },
    });
  });

  it('has no department when the text does not start with one', () => {
    expect(parseInlineFeedback('the app logs me out every hour', config)).toMatchObject({
      ok: true,
      value: { department: undefined, summary: 'the app logs me out every hour', details: '' },
    });
    // a colon later in the text, or a URL, is not a department prefix
    expect(parseInlineFeedback('the app logs me out at 10:30 every day', config)).toMatchObject({
      ok: true,
      value: { department: undefined },
    });
    expect(parseInlineFeedback('https://example.com is down', config)).toMatchObject({
      ok: true,
      value: { department: undefined },
    });
  });

  it("takes how the customer reached us from via:<channel>, anywhere, with the form's values exactly", () => {
    expect(parseInlineFeedback('billing: via:email charged twice for one order', config)).toMatchObject({
      ok: true,
      value: {
        department: { id: 'billing' },
        contactChannel: 'email',
        summary: 'charged twice for one order',
      },
    });
    expect(parseInlineFeedback('via:Phone billing: charged twice', config)).toMatchObject({
      ok: true,
      value: { department: { id: 'billing' }, contactChannel: 'phone', summary: 'charged twice' },
    });
    expect(parseInlineFeedback('the parcel never arrived via:in_person', config)).toMatchObject({
      ok: true,
      value: { contactChannel: 'in_person', summary: 'the parcel never arrived' },
    });
    expect(parseInlineFeedback('the parcel never arrived', config)).toMatchObject({
      ok: true,
      value: { contactChannel: undefined },
    });
    // Only a word of its own: "service:via:email" or "via: email" is text.
    expect(parseInlineFeedback('it came in over the service:via:email link', config)).toMatchObject({
      ok: true,
      value: { contactChannel: undefined },
    });
  });

  it('refuses an unknown or a second contact channel, listing the valid ones', () => {
    expect(parseInlineFeedback('charged twice via:fax', config)).toEqual({
      ok: false,
      problem: 'unknown-contact-channel',
      value: 'fax',
      valid: ['phone', 'email', 'chat', 'social', 'in_person', 'other'],
    });
    expect(parseInlineFeedback('charged twice via:in-person', config)).toMatchObject({
      problem: 'unknown-contact-channel',
    });
    expect(parseInlineFeedback('via:email charged twice via:phone', config)).toMatchObject({
      problem: 'several-contact-channels',
    });
    expect(parseInlineFeedback('via:email via:email charged twice', config)).toMatchObject({
      ok: true,
      value: { contactChannel: 'email', summary: 'charged twice' },
    });
    expect(parseInlineFeedback('via:email', config)).toEqual({ ok: false, problem: 'empty' });
  });

  it('refuses an unknown department and lists the valid ones', () => {
    expect(parseInlineFeedback('marketing: the ad was misleading', config)).toEqual({
      ok: false,
      problem: 'unknown-department',
      name: 'marketing',
      valid: ['billing', 'shipping', 'product'],
    });
  });

  it('refuses empty text, a department with nothing after it, and text over the limit', () => {
    expect(parseInlineFeedback('   ', config)).toEqual({ ok: false, problem: 'empty' });
    expect(parseInlineFeedback('billing:', config)).toMatchObject({
      ok: false,
      problem: 'no-text-after-department',
    });
    const long = 'x'.repeat(config.feedback.max_details_length + 1);
    expect(parseInlineFeedback(long, config)).toMatchObject({
      ok: false,
      problem: 'too-long',
      length: long.length,
    });
  });

  it('keeps the whole text as details when the summary had to be shortened or there are several lines', () => {
    const text = `first line of the complaint\nsecond line with more`;
    expect(parseInlineFeedback(text, config)).toMatchObject({
      ok: true,
      value: { summary: 'first line of the complaint', details: text },
    });
    const long = `${'word '.repeat(100)}end`;
    const r = splitSummary(long);
    expect(r.summary.length).toBeLessThanOrEqual(150);
    expect(r.details).toBe(long);
  });
});

describe('interpretFeedbackCommand', () => {
  it('opens the form for no text, shows help for help, submits otherwise', () => {
    expect(interpretFeedbackCommand('', config)).toEqual({ action: 'open-form' });
    expect(interpretFeedbackCommand('  help ', config)).toEqual({ action: 'help' });
    expect(interpretFeedbackCommand('the app crashed', config)).toMatchObject({ action: 'submit' });
    expect(interpretFeedbackCommand('nope: x', config)).toMatchObject({
      action: 'refuse',
      problem: { problem: 'unknown-department' },
    });
  });
});
