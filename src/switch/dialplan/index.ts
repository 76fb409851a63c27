export { DialPlan, type EntryPointTarget, type InboundQuery, type InboundRoute } from './dial-plan.ts';
export { dialPlanSchema, parseDialPlan, type DialPlanConfig, type DialPlanInput } from './dial-plan-config.ts';
export { DIAL_PLAN_ERROR_CODES, DialPlanError, type DialPlanErrorCode } from './dial-plan-error.ts';
export { demoDialPlan } from './demo-dial-plan.ts';
