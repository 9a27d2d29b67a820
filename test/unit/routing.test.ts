import { describe, expect, it } from 'vitest';
import { orgConfigSchema } from '../../src/config/org-schema.js';
import { compileRouter, routeFeedback } from '../../src/feedback/routing.js';
import { departmentInput, orgConfig } from '../support/org-fixture.js';

const router = compileRouter(orgConfig().departments);
const route = (text: string) => routeFeedback(router, text);

describe('routeFeedback', () => {
  it('routes to the department whose rules match, and says which words matched', () => {
    const d = route('Customer says the March invoice charged twice');
    expect(d).toMatchObject({
      method: 'rules',
      departmentId: 'billing',
      matched: ['invoice', 'charged'],
      score: 3,
    });
    expect(d.reason).toBe('matched: invoice, charged');
  });

  it('sends text that matches nothing to triage', () => {
    expect(route('The colour of the sofa is lovely')).toMatchObject({
      method: 'triage',
      departmentId: null,
      reason: 'no routing rule matched',
    });
  });

  it('ignores case and accents on both sides', () => {
    expect(route('INVOICE wrong')).toMatchObject({ departmentId: 'billing' });
    const accented = compileRouter(
      orgConfigSchema.parse({
        company: { name: 'A', promise: 'B' },
        triage: { channel: 'C0TRIAGE01' },
        departments: [departmentInput({ id: 'billing', routing: { keywords: ['facturación'] } })],
      }).departments,
    );
    expect(routeFeedback(accented, 'problema con la FACTURACION de marzo')).toMatchObject({
      departmentId: 'billing',
    });
    expect(routeFeedback(accented, 'problema con la facturación')).toMatchObject({ departmentId: 'billing' });
  });

  it('matches whole words only, unless the keyword ends with *', () => {
    expect(route('the apple was bruised')).toMatchObject({ method: 'triage' }); // "app" is not in "apple"
    expect(route('invoices are wrong')).toMatchObject({ method: 'triage' }); // "invoice" is a whole word
    expect(route('still waiting for my refunds')).toMatchObject({
      departmentId: 'billing',
      matched: ['refund*'],
    });
    expect(route('refunded twice?')).toMatchObject({ departmentId: 'billing' });
  });

  it('matches phrases as consecutive words, across punctuation and extra spaces', () => {
    expect(route('my credit   card, it was declined')).toMatchObject({
      departmentId: 'billing',
      matched: ['credit card'],
    });
    expect(route('card credit')).toMatchObject({ method: 'triage' });
    expect(route('The parcel never arrived!')).toMatchObject({ departmentId: 'shipping', score: 2 });
  });

  it('matches regular-expression patterns', () => {
    expect(route('question about inv-20931')).toMatchObject({
      departmentId: 'billing',
      matched: ['\\bINV-\\d{4,}\\b'],
    });
    expect(route('question about INV-12')).toMatchObject({ method: 'triage' });
  });

  it('counts each rule once however often it appears', () => {
    expect(route('invoice invoice invoice')).toMatchObject({ score: 1, matched: ['invoice'] });
  });

  it('lets the higher total win when several departments match', () => {
    // billing: charged (2); product: app (1)
    expect(route('the app charged me')).toMatchObject({ departmentId: 'billing', score: 2 });
  });

  it('breaks a score tie by the number of distinct matches', () => {
    // billing: charged = 2 (one match); product: app + crash = 2 (two matches)
    expect(route('the app crash charged')).toMatchObject({
      departmentId: 'product',
      matched: ['app', 'crash'],
    });
  });

  it('sends a real tie to triage and names the tied departments', () => {
    const d = route('invoice for the app');
    expect(d).toMatchObject({ method: 'triage', departmentId: null, score: 1 });
    expect(d.reason).toBe('tie between Billing (invoice) and Product & App (app)');
  });

  it('treats departments without rules, and empty text, as no match', () => {
    const empty = compileRouter(
      orgConfig({
        departments: [
          departmentInput({ id: 'billing', routing: { keywords: [], phrases: [], patterns: [] } }),
        ],
      }).departments,
    );
    expect(routeFeedback(empty, 'invoice')).toMatchObject({ method: 'triage' });
    expect(route('')).toMatchObject({ method: 'triage' });
    expect(route('   !!! ')).toMatchObject({ method: 'triage' });
  });

  it('applies weights', () => {
    const weighted = compileRouter(
      orgConfig({
        departments: [
          departmentInput({ id: 'a', routing: { keywords: [{ term: 'late', weight: 0.5 }] } }),
          departmentInput({
            id: 'b',
            channel: 'C0BBBBBBB1',
            routing: { keywords: [{ term: 'rude', weight: 3 }] },
          }),
        ],
      }).departments,
    );
    expect(routeFeedback(weighted, 'late and rude')).toMatchObject({ departmentId: 'b', score: 3 });
  });
});
