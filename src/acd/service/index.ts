// Public face of the ACD service (issue 5): the composition root, the API and the runtime import from here.
export {
  type AcdConfig,
  AcdConfigError,
  type AcdConfigInput,
  type AgentConfig,
  type AgentConfigInput,
  type EntryPointConfig,
  type QueueConfig,
  type QueueConfigInput,
  nightServiceSchema,
  queueConfigSchema,
  strategySchema,
  treatmentSchema,
  agentConfigSchema,
  acdConfigSchema,
  loadAcdConfigFile,
  parseAcdConfig,
  STRATEGY_RULES,
} from './acd-config.ts';
export { AGENT_ACTIONS, AGENT_ADMIN_STATUSES, AcdControl, type AgentAdminStatus, type AgentRequest, type AgentStatus, type QueueStatus } from './acd-control.ts';
export { AcdSettings, type EntryPointChange } from './acd-settings.ts';
export { AcdService, type AcdServiceOptions, type AcdSwitch, INTERACTION_KEY } from './acd-service.ts';
export { DEMO_ACD_CONFIG } from './demo-acd-config.ts';
export type { AcdServiceEvent } from './service-events.ts';
export { buildStrategy } from './strategy-factory.ts';
export { type CustomerLegControl, SwitchTreatment, type SwitchTreatmentOptions } from './switch-treatment.ts';
export { fixedPrompt, positionPrompt, type Prompt, type PromptKind, type TreatmentPort } from './treatment-port.ts';
export { type AgentGroup, agentGroupSchema, type Branch, branchSchema, builtinClasses, type CustomerClass, customerClassSchema, ORG_ERROR_CODES, OrgCatalog, type OrgData, OrgError, type OrgErrorCode, type OrgKind, type OrgReferences, type TicketType, ticketTypeSchema } from './org-catalog.ts';
