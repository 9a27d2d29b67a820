import type { RoutingDecision } from './routing.js';

export const FEEDBACK_KINDS = ['complaint', 'suggestion', 'praise', 'question'] as const;
export const SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CONTACT_CHANNELS = ['phone', 'email', 'chat', 'social', 'in_person', 'other'] as const;
export const FEEDBACK_SOURCES = ['command', 'modal', 'shortcut'] as const;

export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];
export const FEEDBACK_STATUSES = ['new', 'acknowledged', 'resolved', 'reopened'] as const;
/** new -> acknowledged -> resolved; Reopen puts a resolved item in `reopened`, which is open like `new`. */
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const KIND_LABELS: Record<FeedbackKind, string> = {
  complaint: 'Complaint',
  suggestion: 'Suggestion',
  praise: 'Praise',
  question: 'Question',
};
export const SEVERITY_LABELS: Record<Severity, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};
export const CONTACT_LABELS: Record<ContactChannel, string> = {
  phone: 'Phone',
  email: 'Email',
  chat: 'Chat',
  social: 'Social media',
  in_person: 'In person',
  other: 'Other',
};
export const STATUS_LABELS: Record<FeedbackStatus, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  reopened: 'Reopened',
};

/** The statuses that count as open, everywhere (lists, reminders, every number): all but resolved. */
export const OPEN_STATUSES = ['new', 'acknowledged', 'reopened'] as const satisfies readonly FeedbackStatus[];

/** The limits of what we accept, shared by the inline parser, the modal and its validation. */
export const FEEDBACK_LIMITS = {
  summary: 150,
  customer: 200,
  /** The modal's details box; Slack caps plain_text_input at 3000. Inline text may be longer (config). */
  modalDetails: 3000,
  /** Colleagues named in the form's "who helped" field. */
  whoHelped: 10,
  /** Similar reports a department post names (the best ones; the rest are counted), and so links kept per item. */
  similarNamed: 10,
} as const;

/** What a reporter submits, after parsing and validation, before it is stored. */
export type NewFeedback = {
  idempotencyKey: string;
  teamId: string;
  reporterId: string;
  source: FeedbackSource;
  customer: string | undefined;
  contactChannel: ContactChannel | undefined;
  kind: FeedbackKind;
  severity: Severity;
  summary: string;
  details: string;
  /** Chosen by the reporter; undefined means route by the rules. */
  departmentId: string | undefined;
  originChannelId: string | undefined;
  sourceChannelId: string | undefined;
  sourceMessageTs: string | undefined;
  /** The form's "who helped": colleagues the customer praised (read for praise only). */
  helperIds?: string[] | undefined;
};

export type FeedbackItem = {
  id: number;
  reference: string;
  teamId: string;
  reporterId: string;
  source: FeedbackSource;
  customerId: number | undefined;
  customer: string | undefined;
  contactChannel: ContactChannel | undefined;
  kind: FeedbackKind;
  severity: Severity;
  summary: string;
  details: string;
  departmentId: string | undefined;
  status: FeedbackStatus;
  originChannelId: string | undefined;
  sourceChannelId: string | undefined;
  sourceMessageTs: string | undefined;
  sourcePermalink: string | undefined;
  postChannelId: string | undefined;
  postTs: string | undefined;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every change; buttons carry the version they were rendered at. */
  version: number;
  /** Start of the current SLA cycle: filed, reassigned or reopened. */
  slaStartedAt: number;
  acknowledgedAt: number | undefined;
  resolvedAt: number | undefined;
  resolutionNote: string | undefined;
  customerContacted: boolean | undefined;
  /** How many earlier reports this one was linked to as similar when it was filed. */
  similarCount: number;
  /** The customer had reached the at-risk threshold when this item was filed. */
  customerAtRisk: boolean;
};

/** Who decided (a person who reassigned the item; none for automatic routing), kept apart from the reason text. */
export type StoredRouting = RoutingDecision & { decidedAt: number; decidedBy?: string | undefined };

/** The routing reason of a reassignment: who did it is `decidedBy`, rendered as a mention when shown. */
export const REASSIGNED_REASON = 'reassigned';

export function feedbackReference(id: number): string {
  return `FB-${id}`;
}

/**
 * Puts a newly filed item in a theme inside the transaction that stores it (the themes room provides it, so every
 * route of intake gets a theme the same way). `rolledBack` is called when that transaction failed.
 */
export type ItemThemer = {
  assign(item: { id: number; summary: string; details: string }, now: number): void;
  rolledBack(): void;
};
