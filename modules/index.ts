// Re-exports only: one construct per file.
export * from "./sub-account";
export * from "./service-control-policy";
export * from "./installer-group";
export * from "./operator-group";
export * from "./kinesis-app-policy";
export * from "./spark-launcher-policy";
export * from "./backup-bucket";
export * from "./backup-writer";
export * from "./source-table-recovery";
export { defineConfig, type ConfigInput, type Config } from "./config/schema";
