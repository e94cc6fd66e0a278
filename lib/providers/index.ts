// Provider presets, settings → ProviderConfig, and the local-server Origin rewrite.
export { PRESETS, APP_NAME, AZURE_API_VERSION, AZURE_BASE_URL_TEMPLATE, presetById, presetForBaseUrl, type PresetId, type ProviderPreset } from './presets';
export {
  resolveProvider,
  providerProblems,
  azureDeploymentUrl,
  parseAzureUrl,
  type AzureSettings,
  type ProviderSettings,
  type ProviderProblem,
  type ResolveContext,
} from './resolve';
export {
  LOCAL_ORIGIN_RULE_ID,
  isLocalBaseUrl,
  isLoopbackHost,
  localOriginRule,
  localOriginRuleUpdate,
  looksLikeOriginRejection,
  type OriginRewriteRule,
} from './local-origin';
