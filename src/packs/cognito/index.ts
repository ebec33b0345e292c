// Cognito user pool triggers: an allowlist gate before sign-up and role groups after confirmation.
// Register them with `router.cognito(trigger)`; the router dispatches by `triggerSource`.
export { preSignup, PRE_SIGNUP_SOURCES, SIGN_UP_MESSAGES, SignUpBlockedError, type PreSignupOptions } from './pre-signup.js';
export { postConfirmation, POST_CONFIRMATION_SOURCES, GROUP_FAILED_MESSAGE, type PostConfirmationOptions } from './post-confirmation.js';
export type { CognitoTrigger, CognitoTriggerContext, CognitoTriggerEvent } from '../../doors/cognito/types.js';
export { PROBE_EMAIL, type ProbedCognitoTrigger } from './probe.js';
