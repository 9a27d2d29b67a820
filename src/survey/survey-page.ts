import { createHash } from 'node:crypto';
import escapeHtml from 'escape-html';

/**
 * The survey page the customer sees, as plain HTML: one form posted back to the same address, no script, in the
 * company's name and with nothing about the customer or the complaint on it (anyone holding the link sees it).
 * Everything inserted is escaped with `escape-html`. Built to pass axe-core: `lang`, one `h1` in a `main`
 * landmark, a `fieldset`/`legend` around the radio buttons, a `label` for every field, text contrast above 7:1.
 */

export const COMMENT_MAX = 2000;

export const SCORE_LABELS = [
  'Very dissatisfied',
  'Dissatisfied',
  'Neither satisfied nor dissatisfied',
  'Satisfied',
  'Very satisfied',
] as const;

const STYLE = `
body { margin: 0; font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #f4f4f5; }
main { max-width: 36rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: 0.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; }
legend { font-weight: 600; margin-bottom: 0.5rem; }
.choice { display: block; padding: 0.35rem 0; }
.choice input { width: 1.15rem; height: 1.15rem; margin-right: 0.5rem; vertical-align: -0.15rem; }
label[for=comment] { display: block; font-weight: 600; margin-bottom: 0.35rem; }
textarea { box-sizing: border-box; width: 100%; min-height: 7rem; font: inherit; padding: 0.5rem; border: 1px solid #52525b; border-radius: 0.25rem; }
.hint { color: #3f3f46; font-size: 0.9375rem; margin: 0.25rem 0 1.25rem; }
.error { color: #991b1b; font-weight: 600; }
button { font: inherit; font-weight: 600; color: #fff; background: #1e40af; border: 0; border-radius: 0.375rem; padding: 0.6rem 1.4rem; cursor: pointer; }
button:focus, input:focus, textarea:focus { outline: 3px solid #b45309; outline-offset: 2px; }
blockquote { margin: 0.5rem 0 0; padding-left: 1rem; border-left: 4px solid #a1a1aa; white-space: pre-wrap; }
`;

/** The Content-Security-Policy of every survey page: no script at all, only this stylesheet, forms posted here. */
export const SURVEY_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function page(company: string, title: string, body: string): string {
  const name = escapeHtml(company);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ${name}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type SurveyFormInput = {
  company: string;
  /** Shown above the form when a submitted form was not accepted (already escaped text is not expected). */
  problem?: string | undefined;
  score?: number | undefined;
  comment?: string | undefined;
};

/** The question: how satisfied, 1 to 5, and an optional comment. Posted back to the page's own address. */
export function surveyFormPage(input: SurveyFormInput): string {
  const company = escapeHtml(input.company);
  const choices = SCORE_LABELS.map((label, index) => {
    const score = index + 1;
    const checked = input.score === score ? ' checked' : '';
    const required = index === 0 ? ' required' : '';
    return `<label class="choice"><input type="radio" name="score" value="${score}"${checked}${required}> ${score} · ${escapeHtml(label)}</label>`;
  }).join('\n');
  const problem = input.problem
    ? `<p class="error" id="problem" role="alert">${escapeHtml(input.problem)}</p>\n`
    : '';
  const describedBy = input.problem ? ' aria-describedby="problem"' : '';
  return page(
    input.company,
    'How did we do?',
    `<h1>How did ${company} do?</h1>
${problem}<form method="post" accept-charset="utf-8">
<fieldset${describedBy}>
<legend>How satisfied are you with how ${company} handled your request?</legend>
${choices}
</fieldset>
<label for="comment">Anything you would like to tell us? (optional)</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX}" aria-describedby="comment-hint">${escapeHtml(input.comment ?? '')}</textarea>
<p class="hint" id="comment-hint">Up to ${COMMENT_MAX} characters. Please leave out card numbers and passwords.</p>
<button type="submit">Send</button>
</form>`,
  );
}

/** After an answer: thanks, and the answer as the customer gave it. */
export function thanksPage(company: string, score: number, comment: string | undefined): string {
  const label = SCORE_LABELS[score - 1] ?? '';
  const quoted = comment ? `<p>Your comment:</p>\n<blockquote>${escapeHtml(comment)}</blockquote>` : '';
  return page(
    company,
    'Thank you',
    `<h1>Thank you</h1>
<p>${escapeHtml(company)} received your answer: ${score} out of 5 (${escapeHtml(label)}).</p>
${quoted}`,
  );
}

export function alreadyAnsweredPage(company: string): string {
  return page(
    company,
    'Already answered',
    `<h1>You already answered</h1>
<p>Thank you: ${escapeHtml(company)} already has your answer to this survey, so nothing was changed.</p>`,
  );
}

export function expiredPage(company: string): string {
  return page(
    company,
    'This survey has closed',
    `<h1>This survey has closed</h1>
<p>Sorry, this link has expired, so ${escapeHtml(company)} can no longer take answers through it. If you would still like to tell us something, please reply to the person who sent you the link.</p>`,
  );
}

/** A page that only says what went wrong: a heading and one sentence. */
export function problemPage(company: string, heading: string, sentence: string): string {
  return page(company, heading, `<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(sentence)}</p>`);
}

export function notFoundPage(company: string): string {
  return problemPage(
    company,
    'Survey not found',
    'This link does not lead to a survey. Please check that it was copied in full.',
  );
}

export function tooManyPage(company: string, retryAfterSeconds: number): string {
  return page(
    company,
    'Please wait a moment',
    `<h1>Please wait a moment</h1>
<p>There have been too many requests from your address. Please try again in ${retryAfterSeconds} seconds.</p>`,
  );
}
