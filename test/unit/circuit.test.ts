import { describe, expect, it } from 'vitest';
import { createCircuit } from '../../src/slack/delivery/circuit.js';

describe('the shared circuit for Slack outages', () => {
  it('opens after a few outage failures in a row, probes once when the wait is over, and doubles the wait', () => {
    const c = createCircuit({ threshold: 3, baseMs: 100, maxMs: 350 });
    c.onOutage(0);
    c.onOutage(0);
    expect(c.permit(0)).toBe('yes');
    c.onOutage(0);
    expect(c.openUntil()).toBe(100);
    expect(c.permit(99)).toBe('no');
    expect(c.permit(100)).toBe('probe');
    expect(c.permit(100)).toBe('no'); // one probe at a time
    c.onOutage(150);
    expect(c.openUntil()).toBe(350);
    expect(c.permit(350)).toBe('probe');
    c.onOutage(350);
    expect(c.openUntil()).toBe(700); // capped at maxMs
  });

  it('closes on any answer from Slack, and an answer between failures resets the count', () => {
    const c = createCircuit({ threshold: 2, baseMs: 100, maxMs: 1000 });
    c.onOutage(0);
    c.onAnswer();
    c.onOutage(0);
    expect(c.permit(0)).toBe('yes');
    c.onOutage(0);
    expect(c.permit(0)).toBe('no');
    expect(c.permit(100)).toBe('probe');
    c.onAnswer();
    expect(c.state()).toEqual({ open: false, failures: 0, opens: 0 });
    expect(c.permit(100)).toBe('yes');
  });

  it('opens again when a probe ends without an answer either way, instead of waiting forever', () => {
    const c = createCircuit({ threshold: 1, baseMs: 100, maxMs: 1000 });
    c.onOutage(0);
    expect(c.permit(100)).toBe('probe');
    c.endProbe(120);
    expect(c.openUntil()).toBe(320);
    expect(c.permit(320)).toBe('probe');
  });
});
