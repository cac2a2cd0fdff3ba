export * from "./guardrails";
