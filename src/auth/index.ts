// bedrock-action-groups/auth: `authenticate` functions for createRouter. aws-jwt-verify (cognitoJwt) and
// jose (jwtAuth) are optional peers, each loaded on the first request of the function that needs it.
export { cognitoJwt, type CognitoJwtOptions, type Jwks } from './cognito.js';
export { jwtAuth, type ClaimNames, type JwtAuthOptions } from './jwt.js';
export { MAX_TOKEN_LENGTH } from './bearer.js';
