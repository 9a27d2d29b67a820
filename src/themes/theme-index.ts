import type { Logger } from 'pino';
import type { ItemThemer } from '../feedback/types.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import type { ThemeLanguage } from '../text/languages.js';
import { createTermExtractor, type TermExtractor } from './terms.js';
import type { ThemeModel } from './theme-model.js';
import { setThemeTopTerms } from './theme-repo.js';
import { countInVocabulary, loadThemeModel, placeItem, storeItemTerms } from './theme-store.js';

/**
 * The live theme model of this process: loaded from the database at start (themes' term counts and the
 * vocabulary, not the items), changed by intake and the background regroup in the same transactions as the
 * database, and loaded again when such a transaction failed (memory and file then agree again).
 */
export type ThemeIndex = ItemThemer & {
  readonly model: ThemeModel;
  /** The terms of a text in the org's current language. */
  terms(text: string): ReturnType<TermExtractor>;
  /** Put an item in a theme from its text (intake and backfill), inside the caller's transaction. */
  file(item: { id: number; text: string }, now: number): number | undefined;
  reload(): void;
  /**
   * Customer details were removed (by this process or by the `forget` tool): when a removal is recorded that the
   * themes have not followed yet, read the statistics again and name every theme again without those words.
   */
  afterErasure(now: number): void;
};

export function createThemeIndex(deps: {
  db: Db;
  language: () => ThemeLanguage;
  logger: Logger;
}): ThemeIndex {
  const { db } = deps;
  const extractors = new Map<ThemeLanguage, TermExtractor>();
  const terms = (text: string) => {
    const language = deps.language();
    let extract = extractors.get(language);
    if (!extract) {
      extract = createTermExtractor(language);
      extractors.set(language, extract);
    }
    return extract(text);
  };
  let model = loadThemeModel(db);
  const file: ThemeIndex['file'] = (item, now) => {
    const { terms: found, surfaces } = terms(item.text);
    storeItemTerms(db, item.id, found);
    // The table, not the model, hands out ids: a theme stored by anything else (an import, a test's fixture)
    // is never reused. max(id) on the primary key is one index probe.
    const maxId = stmt(db, 'SELECT max(id) FROM themes').pluck().get() as number | null;
    if (maxId !== null) model.reserveId(maxId);
    const choice = model.assign(found, surfaces);
    if (!choice) return undefined;
    countInVocabulary(db, found, surfaces);
    const theme = { id: choice.themeId, created: choice.created, topTerms: () => model.name(choice.themeId) };
    placeItem(db, { id: item.id, terms: found }, theme, now);
    return choice.themeId;
  };
  const reload = () => {
    model = loadThemeModel(db);
    deps.logger.info({ themes: model.size }, 'theme model loaded again from the database');
  };
  const afterErasure = (now: number) => {
    const last = (stmt(db, 'SELECT max(id) FROM customer_erasures').pluck().get() as number | null) ?? 0;
    const seen = stmt(db, 'SELECT erasure_seen FROM theme_progress WHERE id = 1').pluck().get() as number;
    if (last === seen) return;
    reload();
    db.transaction(() => {
      for (const id of stmt(db, 'SELECT id FROM themes').pluck().all() as number[]) {
        setThemeTopTerms(db, id, model.name(id), now);
      }
      stmt(db, 'UPDATE theme_progress SET erasure_seen = ? WHERE id = 1').run(last);
    })();
  };
  return {
    afterErasure,
    get model() {
      return model;
    },
    terms,
    file,
    reload,
    assign: (item, now) => {
      file({ id: item.id, text: `${item.summary}\n${item.details}` }, now);
    },
    rolledBack: reload,
  };
}
