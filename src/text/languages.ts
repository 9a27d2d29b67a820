/** The languages feedback can be written in for theme grouping (each has a Snowball stemmer and stop-word list). */
export const THEME_LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'nl'] as const;
export type ThemeLanguage = (typeof THEME_LANGUAGES)[number];
