import { expect } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import {
  Commands,
  FeedbackActions,
  FormAction,
  LifecycleFormBlocks as L,
  Views,
} from '../../src/slack/ids.js';
import type { Harness } from './app-harness.js';
import { ids } from './org-fixture.js';
import { plainTextInputValue } from './slack-requests.js';

export const SURVEY_SECRET = 'survey-secret-for-tests-0123456789abcdef';
export const PUBLIC_URL = 'https://survey.acme.test';

/** The org config's survey section with a public page. */
export const withPublicSurvey = { survey: { public_url: PUBLIC_URL } } satisfies Partial<OrgConfigInput>;

/** The rep files a Billing complaint about a named customer; Billing's lead resolves it through the modal. */
export async function fileAndResolve(h: Harness, words = 'ACME Corp says the March invoice charged twice') {
  await h.rep.command(Commands.feedback, words);
  await resolveFirstItem(h);
}

/** Billing's lead resolves item FB-1 through the modal, once its message is in the channel. */
export async function resolveFirstItem(h: Harness) {
  await h.loop.delivery.drain();
  const lead = h.driverFor({ id: ids.billingLead, name: 'lou' });
  await lead.clickButton({ actionId: FeedbackActions.resolve });
  await h.standIn.waitFor({
    method: 'views.open',
    where: (c) => JSON.stringify(c.args.view).includes(Views.feedbackResolve),
  });
  const done = await lead.submitView({
    callbackId: Views.feedbackResolve,
    values: {
      [L.resolutionNote]: { [FormAction]: plainTextInputValue('Refunded the second charge.') },
      [L.customerContacted]: { [FormAction]: { type: 'checkboxes', selected_options: [] } },
    },
  });
  expect(done.status).toBe(200);
  await h.loop.idle();
  expect(getFeedbackItem(h.loop.db, 1)?.status).toBe('resolved');
}

/** The reporter's "resolved" DM (the one with the survey offer). */
export function resolvedDm(h: Harness) {
  const dm = h.standIn
    .callsTo('chat.postMessage')
    .find((c) => c.args.channel === ids.rep && String(c.args.text).includes('was resolved by'));
  expect(dm, 'the resolved DM').toBeDefined();
  return dm;
}

/** The survey link in the resolved DM, as the local address of the same page (the public URL is a proxy's). */
export function surveyUrlOf(h: Harness): string {
  const link = /https:\/\/survey\.acme\.test(\/s\/[A-Za-z0-9_.-]+)/.exec(
    JSON.stringify(resolvedDm(h)?.args.blocks),
  );
  expect(link, 'a survey link in the resolved DM').not.toBeNull();
  return `${h.baseUrl}${link?.[1]}`;
}

/** Posts the survey form as a browser does. */
export function answerForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
