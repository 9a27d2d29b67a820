import { sql as init } from './0001-init.js';
import { sql as jobRuns } from './0002-job-runs.js';
import { sql as feedbackLifecycle } from './0003-feedback-lifecycle.js';
import { sql as kudos } from './0004-kudos.js';
import { sql as digest } from './0005-digest.js';
import { sql as reactionOrder } from './0006-reaction-order.js';
import { sql as jobSubjects } from './0007-job-subjects.js';
import { sql as openByReporter } from './0008-open-by-reporter.js';
import { sql as deliveryEngine } from './0009-delivery-engine.js';
import { sql as metricsTurns } from './0010-metrics-turns.js';
import { sql as slackNames } from './0011-slack-names.js';
import { sql as slaNextCheck } from './0012-sla-next-check.js';
import { sql as kudosTotals } from './0013-kudos-totals.js';
import { sql as customerRetention } from './0014-customer-retention.js';
import { sql as themes } from './0015-themes.js';
import { sql as themesWrite } from './0016-themes-write.js';
import { sql as firstTimeRight } from './0017-first-time-right.js';
import { sql as survey } from './0018-survey.js';
import { sql as outcomes } from './0019-outcomes.js';
import { sql as joinedLoops } from './0020-joined-loops.js';
import { sql as themeRead } from './0021-theme-read.js';
import { sql as regroupResume } from './0022-regroup-resume.js';
import { sql as intake } from './0023-intake.js';
import { sql as digestPieces } from './0024-digest-pieces.js';
import { sql as outboxUnkeyed } from './0025-outbox-unkeyed.js';

export type Migration = { id: number; name: string; sql: string };

/** Append-only. A new migration gets the next id and its own file; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  { id: 1, name: 'init', sql: init },
  { id: 2, name: 'job-runs', sql: jobRuns },
  { id: 3, name: 'feedback-lifecycle', sql: feedbackLifecycle },
  { id: 4, name: 'kudos', sql: kudos },
  { id: 5, name: 'digest', sql: digest },
  { id: 6, name: 'reaction-order', sql: reactionOrder },
  { id: 7, name: 'job-subjects', sql: jobSubjects },
  { id: 8, name: 'open-by-reporter', sql: openByReporter },
  { id: 9, name: 'delivery-engine', sql: deliveryEngine },
  { id: 10, name: 'metrics-turns', sql: metricsTurns },
  { id: 11, name: 'slack-names', sql: slackNames },
  { id: 12, name: 'sla-next-check', sql: slaNextCheck },
  { id: 13, name: 'kudos-totals', sql: kudosTotals },
  { id: 14, name: 'customer-retention', sql: customerRetention },
  { id: 15, name: 'themes', sql: themes },
  { id: 16, name: 'themes-write', sql: themesWrite },
  { id: 17, name: 'first-time-right', sql: firstTimeRight },
  { id: 18, name: 'survey', sql: survey },
  { id: 19, name: 'outcomes', sql: outcomes },
  { id: 20, name: 'joined-loops', sql: joinedLoops },
  { id: 21, name: 'theme-read', sql: themeRead },
  { id: 22, name: 'regroup-resume', sql: regroupResume },
  { id: 23, name: 'intake', sql: intake },
  { id: 24, name: 'digest-pieces', sql: digestPieces },
  { id: 25, name: 'outbox-unkeyed', sql: outboxUnkeyed },
];
