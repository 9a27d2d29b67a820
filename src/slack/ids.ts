/**
 * Every Slack identifier the app registers or renders, in one place (ARCHITECTURE.md: slack/).
 * Block builders, payload parsers and the manifest test all read these, so a rename cannot
 * leave one of them behind.
 */

export const Commands = {
  feedback: '/feedback',
  loop: '/loop',
  kudos: '/kudos',
  strategy: '/strategy',
} as const satisfies Record<string, `/${string}`>;

export const MessageShortcuts = {
  forwardFeedback: 'forward_customer_feedback',
  giveKudos: 'give_kudos',
} as const;

export const Views = {
  feedbackForm: 'feedback_form',
  feedbackResolve: 'feedback_resolve',
  feedbackReassign: 'feedback_reassign',
  kudosForm: 'kudos_form',
  surveyScore: 'survey_score',
  outcomeLeft: 'outcome_left',
} as const;

/** Buttons on the department message. Each button's value is `<item id>:<version it was rendered at>`. */
export const FeedbackActions = {
  acknowledge: 'fb_acknowledge',
  resolve: 'fb_resolve',
  reassign: 'fb_reassign',
  reopen: 'fb_reopen',
} as const;

/**
 * Outcomes (issue 18). On the reporter's resolved DM: told the customer, or could not reach them (value
 * `<item id>:<resolved at>`). On the follow-up DM: still a customer, came back, left (value `<follow-up id>`).
 * On the department message: waiting on the customer and resume (value `<item id>:<version>`, as the lifecycle
 * buttons); in the reporter's waiting DM, the customer answered (value `<item id>`).
 */
export const OutcomeActions = {
  toldCustomer: 'oc_told_customer',
  couldNotReach: 'oc_could_not_reach',
  stillCustomer: 'oc_still_customer',
  cameBack: 'oc_came_back',
  left: 'oc_left',
  waitOnCustomer: 'fb_wait_on_customer',
  resume: 'fb_resume',
  customerAnswered: 'oc_customer_answered',
} as const;

/** Block ids of the outcome buttons and the "Left" modal (each input's element uses `FormAction`). */
export const OutcomeBlocks = {
  contact: 'oc_contact',
  followUp: 'oc_follow_up',
  waiting: 'fb_waiting',
  waitingActions: 'fb_waiting_actions',
  leaveReason: 'oc_leave_reason',
  leaveNote: 'oc_leave_note',
} as const;

/** Block ids of the resolve and reassign modals (each input's element uses `FormAction`). */
export const LifecycleFormBlocks = {
  resolutionNote: 'fb_resolution_note',
  customerContacted: 'fb_customer_contacted',
  reassignTo: 'fb_reassign_to',
} as const;

/** Block ids of the feedback modal; each input has one element whose action id is `FormAction`. */
export const FeedbackFormBlocks = {
  customer: 'fb_customer',
  contactChannel: 'fb_contact_channel',
  kind: 'fb_kind',
  severity: 'fb_severity',
  department: 'fb_department',
  summary: 'fb_summary',
  details: 'fb_details',
} as const;

export const FormAction = 'value' as const;

/** Block ids of the department message, so later updates can find and replace parts of it. */
export const FeedbackPostBlocks = {
  header: 'fb_header',
  summary: 'fb_summary_text',
  details: 'fb_details_text',
  fields: 'fb_fields',
  routing: 'fb_routing',
  source: 'fb_source',
  actions: 'fb_actions',
  similar: 'fb_similar',
  atRisk: 'fb_at_risk',
  history: 'fb_history',
  resolution: 'fb_resolution',
} as const;

/** The reporter's "resolved" DM without a public survey page: record the customer's score (value: request id). */
export const SurveyActions = {
  recordScore: 'survey_record_score',
} as const;

/** Block ids of the survey score modal and the survey part of the "resolved" DM. */
export const SurveyBlocks = {
  score: 'sv_score',
  comment: 'sv_comment',
  offer: 'sv_offer',
} as const;

/** Block ids of the kudos modal; each input has one element whose action id is `FormAction`. */
export const KudosFormBlocks = {
  recipients: 'kd_recipients',
  reason: 'kd_reason',
  value: 'kd_value',
} as const;

/** Interactive elements of the App Home tab. */
export const HomeActions = {
  leaderboardPeriod: 'home_leaderboard_period',
  leaderboardDepartment: 'home_leaderboard_department',
} as const;

/** Events API event types the app listens for (`app.event(...)`). */
export const Events = {
  appHomeOpened: 'app_home_opened',
  reactionAdded: 'reaction_added',
  reactionRemoved: 'reaction_removed',
  message: 'message',
  appUninstalled: 'app_uninstalled',
  tokensRevoked: 'tokens_revoked',
} as const;

/**
 * The manifest's `bot_events` for each event type listened for: message events are subscribed per kind of
 * conversation (only channels: deleted messages there withdraw the kudos given for them).
 */
export const EventSubscriptions = {
  app_home_opened: ['app_home_opened'],
  reaction_added: ['reaction_added'],
  reaction_removed: ['reaction_removed'],
  message: ['message.channels', 'message.groups'],
  app_uninstalled: ['app_uninstalled'],
  tokens_revoked: ['tokens_revoked'],
} as const satisfies Record<(typeof Events)[keyof typeof Events], readonly string[]>;
