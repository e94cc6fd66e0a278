// Azure OpenAI: OpenAI's body, stream and errors on a deployment URL, with an `api-version` query
// parameter and the key in an `api-key` header.

import { composeHeaders, endpoint } from './http';
import { completionBody, openaiDialect } from './openai';
import type { Dialect } from './types';
import type { ProviderConfig } from '../types';

/** The GA data-plane version used when an Azure deployment URL comes without one. */
const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/** `…/openai/deployments/{name}`: the model is in the URL and `api-version` is required. */
function isAzureDeploymentUrl(baseUrl: string): boolean {
  try {
    return /\/openai\/deployments\/[^/]+\/?$/i.test(new URL(baseUrl.trim()).pathname);
  } catch {
    return false;
  }
}

function withApiVersion(url: string, provider: ProviderConfig): string {
  const explicit = provider.apiVersion?.trim();
  const parsed = new URL(url);
  if (explicit) parsed.searchParams.set('api-version', explicit);
  else if (!parsed.searchParams.has('api-version') && isAzureDeploymentUrl(provider.baseUrl)) {
    parsed.searchParams.set('api-version', AZURE_DEFAULT_API_VERSION);
  }
  return parsed.toString();
}

export const azureDialect: Dialect = {
  ...openaiDialect,
  chatEndpoint: (provider) => withApiVersion(endpoint(provider, 'chat/completions'), provider),
  /**
   * An Azure deployment has no model list of its own: the resource's `GET /openai/models` checks
   * the key and the resource, and the answer is the deployment itself.
   */
  modelsEndpoint(provider) {
    const base = new URL(endpoint(provider, 'models'));
    const deployment = /^(.*)\/openai\/deployments\/[^/]+\/models$/i.exec(base.pathname);
    if (deployment) base.pathname = `${deployment[1]}/openai/models`;
    return withApiVersion(base.toString(), provider);
  },
  requestHeaders: (provider, shape) => composeHeaders(provider, shape, {}, (key) => ['api-key', key]),
  // A deployment URL names the model; the body's `model` would be ignored at best.
  chatBody: (provider, req, opts) => completionBody(provider, req, opts, !isAzureDeploymentUrl(provider.baseUrl)),
  // A 2xx from the resource is all Azure can tell: the key works there; the model is the deployment.
  modelsReader(provider) {
    const deployment = provider.model.trim();
    return async (ctx) => {
      await ctx.response.text();
      return deployment === '' ? [] : [deployment];
    };
  },
};
