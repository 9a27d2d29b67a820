import { z } from 'zod';
import type { OrgConfig } from '../config/org-schema.js';
import { FeedbackFormBlocks, FormAction } from '../slack/ids.js';
import {
  CONTACT_CHANNELS,
  type ContactChannel,
  FEEDBACK_KINDS,
  FEEDBACK_LIMITS,
  type FeedbackKind,
  SEVERITIES,
  type Severity,
} from './types.js';

/**
 * The feedback modal's submitted state, validated. Slack enforces required fields in the client, but a
 * payload is input like any other: everything is checked again here, and each problem is reported
 * against the block it belongs to, so Slack shows it under the right field.
 */

const inputValue = z.object({ type: z.string(), value: z.string().nullish() }).loose();
const selectValue = z
  .object({ type: z.string(), selected_option: z.object({ value: z.string() }).loose().nullish() })
  .loose();

/** A users select (absent from forms opened before it existed). */
const usersValue = z
  .object({ selected_users: z.array(z.string().regex(/^[UW][A-Z0-9]+$/)).nullish() })
  .loose()
  .optional();

const stateValues = z.record(z.string(), z.unknown());

export type FeedbackForm = {
  customer: string | undefined;
  contactChannel: ContactChannel | undefined;
  kind: FeedbackKind;
  severity: Severity;
  departmentId: string | undefined;
  summary: string;
  details: string;
  /** "Who helped": the colleagues a customer praised. */
  helperIds: string[];
};

export type FormResult = { ok: true; value: FeedbackForm } | { ok: false; errors: Record<string, string> };

type FieldsResult =
  | { ok: true; value: Omit<FeedbackForm, 'helperIds'> }
  | { ok: false; errors: Record<string, string> };

export function parseFeedbackForm(values: unknown, config: OrgConfig): FormResult {
  const fields = parseFormFields(values, config);
  const helpers = parseWhoHelped(values);
  if (fields.ok && helpers.ok) return { ok: true, value: { ...fields.value, helperIds: helpers.ids } };
  const errors = fields.ok ? {} : fields.errors;
  return {
    ok: false,
    errors: helpers.ok ? errors : { ...errors, [FeedbackFormBlocks.whoHelped]: helpers.error },
  };
}

/** The "who helped" users select: up to FEEDBACK_LIMITS.whoHelped people, each a user id. */
function parseWhoHelped(values: unknown): { ok: true; ids: string[] } | { ok: false; error: string } {
  const block = stateValues.safeParse(values).data?.[FeedbackFormBlocks.whoHelped];
  const element =
    block !== null && typeof block === 'object' ? (block as Record<string, unknown>)[FormAction] : undefined;
  const parsed = usersValue.safeParse(element);
  const ids = [...new Set(parsed.data?.selected_users ?? [])];
  if (parsed.success && ids.length <= FEEDBACK_LIMITS.whoHelped) return { ok: true, ids };
  return { ok: false, error: `Please pick up to ${FEEDBACK_LIMITS.whoHelped} people from the list.` };
}

function parseFormFields(values: unknown, config: OrgConfig): FieldsResult {
  const state = stateValues.safeParse(values);
  if (!state.success)
    return {
      ok: false,
      errors: { [FeedbackFormBlocks.summary]: 'The form arrived incomplete. Please submit it again.' },
    };
  const errors: Record<string, string> = {};
  const element = (block: string): unknown => {
    const b = state.data[block];
    return b !== null && typeof b === 'object' ? (b as Record<string, unknown>)[FormAction] : undefined;
  };
  const text = (block: string): string => {
    const parsed = inputValue.safeParse(element(block));
    return parsed.success ? (parsed.data.value ?? '').trim() : '';
  };
  const selected = (block: string): string | undefined => {
    const parsed = selectValue.safeParse(element(block));
    return parsed.success ? (parsed.data.selected_option?.value ?? undefined) : undefined;
  };
  const oneOf = <T extends string>(list: readonly T[], value: string | undefined): T | undefined =>
    list.find((v) => v === value);

  const customer = text(FeedbackFormBlocks.customer);
  if (customer.length > FEEDBACK_LIMITS.customer) {
    errors[FeedbackFormBlocks.customer] =
      `Please keep the customer identifier under ${FEEDBACK_LIMITS.customer} characters.`;
  }

  const contactRaw = selected(FeedbackFormBlocks.contactChannel);
  const contactChannel = oneOf(CONTACT_CHANNELS, contactRaw);
  if (contactRaw !== undefined && !contactChannel)
    errors[FeedbackFormBlocks.contactChannel] = 'Please pick one of the listed ways.';

  const kind = oneOf(FEEDBACK_KINDS, selected(FeedbackFormBlocks.kind));
  if (!kind) errors[FeedbackFormBlocks.kind] = 'Please choose what kind of feedback this is.';

  const severity = oneOf(SEVERITIES, selected(FeedbackFormBlocks.severity));
  if (!severity) errors[FeedbackFormBlocks.severity] = 'Please choose how severe this is.';

  const departmentRaw = selected(FeedbackFormBlocks.department);
  if (departmentRaw !== undefined && !config.departments.some((d) => d.id === departmentRaw)) {
    errors[FeedbackFormBlocks.department] =
      'That department no longer exists (the configuration changed). Pick another, or leave it empty to route automatically.';
  }

  const summary = text(FeedbackFormBlocks.summary).replace(/\s+/g, ' ');
  if (summary === '')
    errors[FeedbackFormBlocks.summary] = 'Please write a short summary of what the customer said.';
  else if (summary.length > FEEDBACK_LIMITS.summary) {
    errors[FeedbackFormBlocks.summary] =
      `Please keep the summary under ${FEEDBACK_LIMITS.summary} characters; put the rest in the details.`;
  }

  const details = text(FeedbackFormBlocks.details);
  if (details.length > FEEDBACK_LIMITS.modalDetails) {
    errors[FeedbackFormBlocks.details] =
      `Please keep the details under ${FEEDBACK_LIMITS.modalDetails} characters.`;
  }

  if (Object.keys(errors).length > 0 || !kind || !severity) return { ok: false, errors };
  return {
    ok: true,
    value: {
      customer: customer === '' ? undefined : customer,
      contactChannel,
      kind,
      severity,
      departmentId: departmentRaw,
      summary,
      details,
    },
  };
}

/** What the modal remembers between opening and submission (Slack caps private_metadata at 3000 chars). */
export const formMetadataSchema = z.object({
  source: z.enum(['modal', 'shortcut']),
  originChannelId: z.string().max(40).optional(),
  sourceChannelId: z.string().max(40).optional(),
  sourceMessageTs: z.string().max(40).optional(),
});
export type FormMetadata = z.infer<typeof formMetadataSchema>;

export function parseFormMetadata(raw: string | undefined): FormMetadata {
  try {
    const parsed = formMetadataSchema.safeParse(JSON.parse(raw ?? '{}'));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: metadata we did not write is treated as a plain modal submission
  }
  return { source: 'modal' };
}
