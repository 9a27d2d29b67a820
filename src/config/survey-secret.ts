import type { OrgConfig } from './org-schema.js';

/**
 * Survey links are signed with SURVEY_SECRET: with `survey.public_url` set and no secret the app would hand out
 * links it cannot check, so it refuses to start (and the doctor says so). Undefined when the pair is consistent.
 */
export function surveySecretProblem(
  config: Pick<OrgConfig, 'survey'>,
  secret: string | undefined,
): string | undefined {
  if (config.survey.public_url === undefined || secret !== undefined) return undefined;
  return (
    `SURVEY_SECRET is missing: the org config sets survey.public_url (${config.survey.public_url}), and the ` +
    'survey links sent to customers are signed with it. Set SURVEY_SECRET to a random value of at least 32 ' +
    'characters (openssl rand -hex 32), or remove survey.public_url to let reps record the score themselves.'
  );
}
