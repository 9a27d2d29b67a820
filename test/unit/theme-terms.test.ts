import { describe, expect, it } from 'vitest';
import { createTermExtractor } from '../../src/themes/terms.js';

const terms = (lang: Parameters<typeof createTermExtractor>[0], text: string) =>
  createTermExtractor(lang)(text).terms.sort();

describe('theme terms', () => {
  it('merges plural and verb forms and drops stop words and filler (English by default)', () => {
    const extract = createTermExtractor();
    expect(extract('The customer says she was charged twice for the invoices').terms).toEqual(
      extract('charges twice, invoice').terms,
    );
    expect(extract('Deliveries are late').terms).toEqual(extract('delivery LATE').terms);
    expect(extract('The apps keep crashing').terms).toEqual(['app', 'keep', 'crash']);
  });

  it('drops stop words written with an apostrophe, and negations typed without one', () => {
    const extract = createTermExtractor();
    expect(extract("Customer can't log in, it's the 2FA page that doesn’t load").terms).toEqual(
      extract('log 2FA page load').terms,
    );
    expect(extract('cant log in, page doesnt load').terms).toEqual(extract('log page load').terms);
    expect(extract("I'll be ill if the shell isn't well made, she'd said: login id").terms).toEqual(
      extract('ill shell well made login id').terms,
    );
  });

  it('folds accents after stemming, so words typed with or without them meet', () => {
    expect(terms('fr', 'Livrée en retard')).toEqual(terms('fr', 'livree en retard'));
    expect(terms('de', 'Rückerstattungen')).toEqual(terms('de', 'Ruckerstattung'));
    expect(terms('es', 'Cobros duplicados')).toEqual(terms('es', 'cobro duplicado'));
  });

  it('stems and drops stop words in each supported language', () => {
    expect(terms('fr', "Le remboursement n'est jamais arrivé")).toEqual(
      terms('fr', 'remboursements arrivés jamais'),
    );
    expect(terms('fr', "l'application plante")).toEqual(['appliqu', 'plant']);
    expect(terms('de', 'Die Lieferungen sind verspätet')).toEqual(terms('de', 'Lieferung verspätet'));
    expect(terms('es', 'Las entregas están retrasadas')).toEqual(terms('es', 'entrega retrasada'));
    expect(terms('pt', 'As entregas estão atrasadas')).toEqual(terms('pt', 'entrega atrasada'));
    expect(terms('nl', 'De terugbetalingen zijn te laat')).toEqual(terms('nl', 'terugbetaling laat'));
  });

  it('gives, for each stem, the folded word it came from, to name themes in words people read', () => {
    const { surfaces } = createTermExtractor('fr')('Facturés deux fois');
    expect(surfaces.get('factur')).toBe('factures');
  });
});
