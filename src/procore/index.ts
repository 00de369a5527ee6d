export * from './errors';
export * from './types';
export * from './contracts';
export * from './hosts';
export * from './token-set';
export { createProcoreOAuthClient } from './oauth-client';
export { createProcoreApiClient } from './api-client';
export { describeRefusedItem } from './refused-item';
