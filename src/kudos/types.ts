export const KUDOS_SOURCES = ['command', 'shortcut', 'reaction'] as const;
export type KudosSource = (typeof KUDOS_SOURCES)[number];

/** One give: a giver thanking one or more recipients for one reason. */
export type Kudos = {
  id: number;
  sourceKey: string;
  teamId: string;
  giverId: string;
  source: KudosSource;
  reason: string;
  valueIds: string[];
  giverDepartments: string[];
  giverTz: string;
  recipientIds: string[];
  originChannelId: string | undefined;
  sourceChannelId: string | undefined;
  sourceMessageTs: string | undefined;
  /** The thread's parent when the source message is a reply (Slack threads replies under the parent's ts). */
  sourceThreadTs: string | undefined;
  postChannelId: string | undefined;
  postTs: string | undefined;
  createdAt: number;
  revokedAt: number | undefined;
  /** Why it was withdrawn ('reaction removed', 'message deleted'). */
  revokedReason: string | undefined;
  /** A "+1": the kudos whose post was reacted to, whose people and reason this one repeats. */
  plusOneOf: number | undefined;
};

/** A kudos about to be stored, after every check. */
export type NewKudos = {
  sourceKey: string;
  teamId: string;
  giverId: string;
  source: KudosSource;
  reason: string;
  valueIds: string[];
  giverDepartments: string[];
  giverTz: string;
  recipients: { userId: string; departments: string[] }[];
  originChannelId: string | undefined;
  sourceChannelId: string | undefined;
  sourceMessageTs: string | undefined;
  sourceThreadTs?: string | undefined;
  plusOneOf?: number | undefined;
  now: number;
};

export type ReceivedKudos = {
  kudosId: number;
  giverId: string;
  reason: string;
  valueIds: string[];
  source: KudosSource;
  createdAt: number;
};
