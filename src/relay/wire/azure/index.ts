// The "azure" upstream type: Azure OpenAI, speaking OpenAI's wire format (wire/openai).
import type { Wire } from "../contract";
import { azure as provider } from "./provider";

export const azure: Wire = { name: "azure", provider };
