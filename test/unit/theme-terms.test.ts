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
