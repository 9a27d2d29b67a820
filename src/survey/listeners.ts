import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { FormAction, SurveyActions, SurveyBlocks, Views } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import {
  blockActionsSchema,
  parsePrivateMetadata,
  SORRY_MALFORMED,
  viewSubmissionSchema,
} from '../slack/payloads.js';
import { recordRefusalText, surveyScoreModal } from './survey-blocks.js';
import { COMMENT_MAX } from './survey-page.js';
import type { SurveyService } from './survey-service.js';

export type SurveyListenerDeps = { survey: SurveyService; outboxQueued: () => void };

const requestIdSchema = z.coerce.number().int().positive();
const metadataSchema = z.object({ requestId: z.number().int().positive() });
const formSchema = z.object({
  [SurveyBlocks.score]: z.object({
    [FormAction]: z
      .object({ selected_option: z.object({ value: z.coerce.number().int().min(1).max(5) }).loose() })
      .loose(),
  }),
  [SurveyBlocks.comment]: z
    .object({ [FormAction]: z.object({ value: z.string().max(COMMENT_MAX).nullish() }).loose() })
    .optional(),
});

function parseMetadata(raw: string | undefined) {
  return parsePrivateMetadata(metadataSchema, raw);
}

/** "Record the customer's score" in the reporter's "resolved" DM, and the modal it opens. */
export function registerSurveyListeners(app: ListenerRegistry, deps: SurveyListenerDeps): void {
  app.action(SurveyActions.recordScore, async ({ body, ack, respond, client }) => {
    await ack();
    const parsed = blockActionsSchema.safeParse(body);
    const requestId = requestIdSchema.safeParse(parsed.success ? parsed.data.actions[0]?.value : undefined);
    const reply = async (text: string) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    if (!parsed.success || !requestId.success) return reply(SORRY_MALFORMED);
    const check = deps.survey.checkRecorder(requestId.data, parsed.data.user.id);
    if (!check.ok) return reply(recordRefusalText(check));
    const view = surveyScoreModal(check.item, check.request);
    await client.views.open({ trigger_id: parsed.data.trigger_id, view }).catch((cause: unknown) => {
      throw new UserFacingError(
        'survey_form_unavailable',
        'Sorry, I could not open the form just now (Slack allows only 3 seconds). Nothing was recorded; please click again.',
        { cause },
      );
    });
  });

  app.view(Views.surveyScore, async ({ body, ack }) => {
    const parsed = viewSubmissionSchema.safeParse(body);
    const meta = parsed.success ? parseMetadata(parsed.data.view.private_metadata) : undefined;
    const form = formSchema.safeParse(parsed.success ? parsed.data.view.state.values : undefined);
    if (!parsed.success || !meta) {
      return ack({ response_action: 'errors', errors: { [SurveyBlocks.score]: SORRY_MALFORMED } });
    }
    if (!form.success) {
      const error = 'Choose the score the customer gave, from 1 to 5.';
      return ack({ response_action: 'errors', errors: { [SurveyBlocks.score]: error } });
    }
    const score = form.data[SurveyBlocks.score][FormAction].selected_option.value;
    const comment = form.data[SurveyBlocks.comment]?.[FormAction].value?.trim() || undefined;
    const result = deps.survey.record(meta.requestId, parsed.data.user.id, score, comment);
    if (!result.ok) {
      return ack({ response_action: 'errors', errors: { [SurveyBlocks.score]: recordRefusalText(result) } });
    }
    await ack();
    deps.outboxQueued();
  });
}
