// Upstream type "azure": Azure OpenAI. base_url is the resource's endpoint
// (https://NAME.openai.azure.com); the upstream model name is the deployment; every call carries
// the channel's api_version and the key in the `api-key` header.
import { openai, OPENAI_PATHS } from "../openai/provider";
import { post } from "../http";
import type { Endpoint, Provider } from "../contract";

const SERVES = new Set<Endpoint>([
  "chat",
  "completions",
  "embeddings",
  "images",
  "image_edits",
  "speech",
  "transcriptions",
]);

export const azure: Provider = {
  ...openai,
  type: "azure",
  // the bare resource URL: the provider adds /openai/deployments/{deployment}/… itself
  baseUrl: {
    defaultPath: "",
    example: "https://YOUR-RESOURCE.openai.azure.com",
    endpoints: /\/openai(\/.*)?$/i,
    foreign: {
      pattern: /\/openai\/deployments(\/.*)?$/i,
      hint: "an Azure OpenAI deployment: choose type azure with the resource's URL (https://RES.openai.azure.com)",
    },
    apiVersionExample: "2024-10-21",
  },
  serves: () => SERVES,
  request: (channel, key, call) => ({
    url: `${channel.baseUrl}/openai/deployments/${encodeURIComponent(call.model)}${OPENAI_PATHS[call.endpoint]}?api-version=${encodeURIComponent(channel.apiVersion)}`,
    init: post(call.body, { "api-key": key }),
  }),
};
