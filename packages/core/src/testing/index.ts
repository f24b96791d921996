export { describeProviderConformance } from './provider-conformance.js';
export * as conformanceChecks from './provider-conformance-checks.js';
export type {
  ConformanceWebhook,
  ProviderConformanceContext,
  ProviderConformanceHarness,
} from './provider-conformance-harness.js';
