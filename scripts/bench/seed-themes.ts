/**
 * Themes for the seeded year: each seeded item gets the words of one of a few dozen recurring complaints
 * (some far more common than others, as in real feedback) and is put in a theme by the app's own model
 * (terms.ts, theme-model.ts), so the theme read side can be measured at 1M items. The model's statistics are
 * written as the app keeps them (themes, term counts, vocabulary, progress), so the app starts with the backfill
 * done. Deterministic: the same items get the same themes on every run.
 */
import type { Db } from '../../src/store/db.js';
import { createTermExtractor } from '../../src/themes/terms.js';
import { createThemeModel } from '../../src/themes/theme-model.js';

const COMPLAINTS = [
  'charged twice for the same order',
  'card charged twice, wants one refunded',
  'double charge on the invoice',
  'parcel arrived late again',
  'late delivery, the courier never came',
  'delivery is a week late',
  'the app crashes at start',
  'app crashes when paying',
  'refund still not received',
  'waiting weeks for the refund',
  'cannot log in, password reset email never arrives',
  'password reset link expired',
  'wrong item in the box',
  'received the wrong size',
  'item arrived broken',
  'the screen was cracked on arrival',
  'promo code not accepted at checkout',
  'discount code rejected',
  'cannot cancel the subscription',
  'subscription renewed after cancelling',
  'nobody answers the phone line',
  'on hold for an hour',
  'the agent was rude on the chat',
  'invoice address is wrong',
];

/** Deterministic in [0, 1) from an item id. */
const unit = (id: number) => (((id * 2_654_435_761) >>> 0) % 1_000_003) / 1_000_003;

export function seedThemes(db: Db, now: number): void {
  const extract = createTermExtractor('en');
  const model = createThemeModel();
  const complaints = COMPLAINTS.map((text) => ({ text, ...extract(text) }));
  const df = new Map<string, { items: number; surface: string }>();
  const maxId = (db.prepare('SELECT max(id) FROM feedback_items').pluck().get() as number | null) ?? 0;
  const update = db.prepare(
    'UPDATE feedback_items SET summary = ?, theme_terms = ?, theme_id = ? WHERE id = ?',
  );
  // Squaring makes the first complaints the most frequent.
  const complaintOf = (id: number) => Math.floor(unit(id) ** 2 * complaints.length);
  const themeOf = new Int32Array(maxId + 1);
  for (let id = 1; id <= maxId; id++) {
    const complaint = complaints[complaintOf(id)];
    if (!complaint) continue;
    themeOf[id] = model.assign(complaint.terms, complaint.surfaces)?.themeId ?? 0;
    for (const term of complaint.terms) {
      const known = df.get(term);
      df.set(term, { items: (known?.items ?? 0) + 1, surface: complaint.surfaces.get(term) ?? term });
    }
  }
  db.transaction(() => {
    const theme = db.prepare(
      'INSERT INTO themes (id, top_terms, item_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    const count = db.prepare('INSERT INTO theme_term_counts (theme_id, term, items) VALUES (?, ?, ?)');
    for (const t of model.themes()) {
      theme.run(t.id, JSON.stringify(model.name(t.id)), t.size, now, now);
      for (const [term, n] of t.counts) count.run(t.id, term, n);
    }
    const vocabulary = db.prepare('INSERT INTO theme_vocabulary (term, items, surface) VALUES (?, ?, ?)');
    for (const [term, v] of df) vocabulary.run(term, v.items, v.surface);
    db.prepare('UPDATE theme_progress SET documents = ?, backfill_done = 1 WHERE id = 1').run(maxId);
    for (let id = 1; id <= maxId; id++) {
      const complaint = complaints[complaintOf(id)];
      if (complaint) update.run(complaint.text, JSON.stringify(complaint.terms), themeOf[id] || null, id);
    }
  })();
}
