import type { CognitoTriggerEvent } from '../../../src/doors/cognito/types.js';

// Trigger events shaped as in the Amazon Cognito developer guide (pre sign-up and post confirmation
// Lambda trigger parameters, and the shared parameters every trigger gets).

export const POOL_ID = 'us-east-1_Ab12Cd34E';
const callerContext = { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '4fj2a5cbb8mbl9example' };

/** A self-service sign-up (SignUp API). */
export function preSignUpEvent(overrides: { triggerSource?: string; userName?: string; userAttributes?: Record<string, string> } = {}): CognitoTriggerEvent {
  return {
    version: '1',
    triggerSource: overrides.triggerSource ?? 'PreSignUp_SignUp',
    region: 'us-east-1',
    userPoolId: POOL_ID,
    userName: overrides.userName ?? 'ana.perez',
    callerContext,
    request: {
      userAttributes: overrides.userAttributes ?? { email: '  Ana.Perez@Example.COM ', name: 'Ana Pérez', phone_number: '+50688887777' },
      validationData: null,
      clientMetadata: { source: 'web' },
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

/** A federated user's first sign-in through Google. */
export function preSignUpExternalEvent(): CognitoTriggerEvent {
  return preSignUpEvent({
    triggerSource: 'PreSignUp_ExternalProvider',
    userName: 'Google_117712345678901234567',
    userAttributes: { email: 'luis@example.com', email_verified: 'false', 'cognito:email_alias': '', 'cognito:phone_number_alias': '' },
  });
}

/** A confirmed sign-up (ConfirmSignUp / AdminConfirmSignUp, or a federated first sign-in). */
export function postConfirmationEvent(overrides: { triggerSource?: string; userName?: string; userAttributes?: Record<string, string> } = {}): CognitoTriggerEvent {
  return {
    version: '1',
    triggerSource: overrides.triggerSource ?? 'PostConfirmation_ConfirmSignUp',
    region: 'us-east-1',
    userPoolId: POOL_ID,
    userName: overrides.userName ?? 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    callerContext,
    request: {
      userAttributes: overrides.userAttributes ?? {
        sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        email_verified: 'true',
        'cognito:user_status': 'CONFIRMED',
        email: 'Sofia.Mora@Example.com',
      },
      clientMetadata: {},
    },
    response: {},
  };
}
