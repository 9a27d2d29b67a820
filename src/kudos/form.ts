import { z } from 'zod';
import { FormAction, KudosFormBlocks } from '../slack/ids.js';
import type { KudosFormMetadata } from './blocks.js';
import type { KudosProblem } from './rules.js';

/** The kudos modal's submitted state. The rules are checked by the service; this only reads the fields. */
export type KudosForm = { userIds: string[]; reason: string; valueIds: string[] };

const users = z.object({ selected_users: z.array(z.string()).nullish() }).loose();
const input = z.object({ value: z.string().nullish() }).loose();
const select = z.object({ selected_option: z.object({ value: z.string() }).loose().nullish() }).loose();

export function parseKudosForm(values: Record<string, unknown>): KudosForm {
  const element = (block: string): unknown => {
    const b = values[block];
    return b !== null && typeof b === 'object' ? (b as Record<string, unknown>)[FormAction] : undefined;
  };
  const userIds = users.safeParse(element(KudosFormBlocks.recipients)).data?.selected_users ?? [];
  const reason = (input.safeParse(element(KudosFormBlocks.reason)).data?.value ?? '').trim();
  const value = select.safeParse(element(KudosFormBlocks.value)).data?.selected_option?.value;
  return { userIds: [...new Set(userIds)], reason, valueIds: value ? [value] : [] };
}

/** Which field of the modal a refusal belongs under, so Slack shows it there. */
export function problemBlock(problem: KudosProblem, hasValueBlock: boolean): string {
  switch (problem.problem) {
    case 'reason-no-words':
    case 'reason-too-short':
    case 'reason-too-long':
      return KudosFormBlocks.reason;
    case 'unknown-value':
    case 'too-many-values':
    case 'value-required':
      return hasValueBlock ? KudosFormBlocks.value : KudosFormBlocks.reason;
    default:
      return KudosFormBlocks.recipients;
  }
}

const metadataSchema = z.object({
  originChannelId: z.string().max(40).optional(),
  sourceChannelId: z.string().max(40).optional(),
  sourceMessageTs: z.string().max(40).optional(),
  sourceThreadTs: z.string().max(40).optional(),
});

export function parseKudosFormMetadata(raw: string | undefined): KudosFormMetadata {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw ?? '{}'));
    if (parsed.success) return parsed.data;
  } catch {
    // metadata we did not write: treat it as a plain modal
  }
  return {};
}
