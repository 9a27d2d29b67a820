import { slackTextToPlain } from './mrkdwn.js';

/** A person's name as Slack shows it (display name, else real name), looked up through the directory. */
export type NameOf = (userId: string) => Promise<string>;

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/**
 * A refusal written as mrkdwn, made fit for a modal's field error: Slack shows field errors as plain text, so
 * mentions become `@name` (looked up; the id only if Slack cannot say in time), bold markers go and entities are
 * decoded. The lookup is bounded: a form must be answered within Slack's 3 seconds.
 */
export async function formErrorText(mrkdwn: string, nameOf: NameOf, timeoutMs = 1000): Promise<string> {
  const ids = [...new Set([...mrkdwn.matchAll(MENTION)].map((m) => m[1] as string))];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const names = new Map<string, string>();
  try {
    const found = await Promise.all(
      ids.map((id) => Promise.race([nameOf(id).catch(() => undefined), timeout])),
    );
    ids.forEach((id, i) => {
      const name = found[i];
      if (name) names.set(id, name);
    });
  } finally {
    clearTimeout(timer);
  }
  const named = mrkdwn.replace(MENTION, (whole, id: string) => {
    const name = names.get(id);
    return name ? `<@${id}|${name}>` : whole;
  });
  return slackTextToPlain(named).replace(/\*/g, '');
}
