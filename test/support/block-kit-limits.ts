/** The local Slack lives in src/sandbox/ (the sandbox runs it too); tests import it from here. */
export * from '../../src/sandbox/block-kit-limits.js';
