/**
 * From one validated config to every account's stack.
 * Apply order: management -> snowplow-pipeline -> backup -> source-* (see README).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, tokenStackTraces } from "../private/cdk";
import { appStreams, type Config } from "../config/schema";
import { accountEnv } from "../private/arn";
import { BackupBucket, type BackupSource } from "../backup-bucket";
import { BackupWriter } from "../backup-writer";
import { InstallerGroup } from "../installer-group";
import { KinesisApp } from "../kinesis-app-policy";
import { hostedAssetsBucket, OperatorGroup } from "../operator-group";
import { allowedServices, ServiceControlPolicy } from "../service-control-policy";
import { SourceTableRecovery } from "../source-table-recovery";
import { SparkLauncher } from "../spark-launcher-policy";
import { SubAccount } from "../sub-account";
import { AccountStack } from "./account-stack";
import { PlanHub, PlanRole } from "../ci-plan-role";
import { arns } from "../private/arn";
import { stackOutput } from "../private/outputs";

export const STACK_NAMES = {
  management: "management",
  pipeline: "snowplow-pipeline",
  backup: "backup",
  source: (name: string) => `source-${name}`,
} as const;

export interface BuildOptions {
  /** the synth output folder users run terraform in (decides relative state paths) */
  readonly outdir: string;
  /** where the App writes; a staging folder @default - outdir */
  readonly synthDir?: string;
  /** folder the local state files go in; the folder `cdktf.out` is in */
  readonly projectDir: string;
  /** where to report notices (skipped stacks) */
  readonly notice?: (message: string) => void;
}

/**
 * The app built in memory for a command that reads its stacks without a synth
 * (adopt, vendor): CDKTF makes its output folder when the App is constructed,
 * so it gets a temp folder, removed when `use` returns.
 */
export function withAppInMemory<T>(config: Config, use: (app: App) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-app-"));
  try {
    return use(buildApp(config, { outdir: path.join(dir, "cdktf.out"), projectDir: dir }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function defaultWriterRole(method: "native-export" | "data-pipeline"): string {
  return method === "native-export" ? "snowplow-backup-writer" : "DataPipelineDefaultResourceRole";
}

/** services the Snowplow account needs beyond its flow's, from how its apps run */
export function scpExtraServices(config: Config): Record<string, string> {
  const extra: Record<string, string> = {};
  const runs = new Set(config.kinesis.applications.map((x) => x.runAs));
  if (runs.has("ecs")) {
    extra.ecs = "ECS: runs the Kinesis apps as tasks";
    extra.ecr = "ECR: images of the Kinesis apps";
  }
  if (runs.has("eks")) extra.eks = "EKS: runs the Kinesis apps as pods";
  return extra;
}

/** what every stack builder needs */
interface Ctx {
  readonly app: App;
  readonly config: Config;
  readonly base: { readonly config: Config; readonly projectDir: string; readonly outdir: string };
  readonly opts: BuildOptions;
}

/**
 * One config in, every account's stack out, in apply order. Each stack is
 * built by its own function below; construct ids and creation order are the
 * same as they were in one function (ids are a contract: moved blocks otherwise).
 */
export function buildApp(config: Config, opts: BuildOptions): App {
  tokenStackTraces();
  const app = new App({ outdir: opts.synthDir ?? opts.outdir, stackTraces: false });
  const ctx: Ctx = { app, config, base: { config, projectDir: opts.projectDir, outdir: opts.outdir }, opts };
  const { management, scpServices, planRole } = buildManagement(ctx);
  const pipeline = buildPipeline(ctx, management, scpServices, planRole);
  buildBackupAndSources(ctx, pipeline ?? management, planRole);
  return app;
}

type PlanRoleOf = (stack: AccountStack) => void;

/** 1. Organisation: the member account, its service control policy, and the CI hub */
function buildManagement({ app, config, base }: Ctx): { management: AccountStack; scpServices?: Set<string>; planRole: PlanRoleOf } {
  const a = config.accounts;
  const iam = config.iam;
  const mgmtRegion = a.management.region ?? config.region;
  const management = new AccountStack(app, STACK_NAMES.management, {
    ...base,
    accountId: a.management.id,
    region: mgmtRegion,
    assumeRoleArn: a.management.roleArn,
  });
  const sub = new SubAccount(management, "snowplow_account", {
    name: a.snowplow.name ?? `snowplow-${config.company}`,
    email: a.snowplow.email,
    mode: a.snowplow.mode,
    accountId: a.snowplow.id,
    parentId: a.snowplow.parentId,
    accessRoleName: a.snowplow.accessRoleName,
    iamUserAccessToBilling: a.snowplow.iamUserAccessToBilling,
  });
  // the member account's id under a readable name: the pipeline stack reads it from here when the config has none yet
  stackOutput(management, "snowplow_account_id", sub.account.id, "id of the Snowplow member account");
  // CI: the plan workflow's hub role here, a read-only plan role in every account (ci-plan-role.ts)
  const ci = config.ci;
  const planRole = (stack: AccountStack) => {
    if (ci === undefined) return;
    new PlanRole(stack, "ci_plan_role", {
      env: stack.env,
      hubRoleArn: arns.iamRole(management.env, ci.hubRoleName, iam.path),
      planRoleName: ci.planRoleName,
      path: iam.path,
      permissionsBoundaryArn: iam.permissionsBoundaryArn,
    });
  };
  if (ci !== undefined && config.backend.type === "s3") {
    new PlanHub(management, "ci_plan_hub", {
      env: management.env,
      repository: ci.github.repository,
      hubRoleName: ci.hubRoleName,
      planRoleName: ci.planRoleName,
      path: iam.path,
      permissionsBoundaryArn: iam.permissionsBoundaryArn,
      createOidcProvider: ci.createOidcProvider,
      state: { bucket: config.backend.bucket, keyPrefix: config.backend.keyPrefix },
      organizationId: config.organization.id,
    });
  }
  planRole(management);
  const scp = config.organization.serviceControlPolicy;
  const extra = scpExtraServices(config);
  // what the SCP leaves open in the Snowplow account; the installer is trimmed to it
  const scpServices = scp.enabled ? new Set(Object.keys(allowedServices(config.pipeline.flow, extra))) : undefined;
  if (scp.enabled) {
    new ServiceControlPolicy(management, "service_control_policy", {
      flow: config.pipeline.flow,
      targetId: sub.account.id,
      targetAccountId: a.snowplow.id,
      targetName: `${a.snowplow.name ?? `snowplow-${config.company}`}${a.snowplow.id ? ` (${a.snowplow.id})` : ""}`,
      name: `snowplow-${config.company}-${config.pipeline.flow}-services`,
      extraServices: extra,
      allowedRegions: scp.allowedRegions,
    });
  }

  return { management, scpServices, planRole };
}

/** 2. The Snowplow account: people and workloads; none when its id cannot be known */
function buildPipeline(
  { app, config, base, opts }: Ctx,
  management: AccountStack,
  scpServices: Set<string> | undefined,
  planRole: PlanRoleOf,
): AccountStack | undefined {
  const a = config.accounts;
  const iam = config.iam;
  // 2. The Snowplow account: people and workloads. Needs the account id, which
  //    a new account only has after the management stack's first apply.
  const pipelineRegion = a.snowplow.region ?? config.region;
  // a member account created here has its id only after the management stack's apply: the pipeline
  // stack reads it from the management stack's state (remote state over the configured backend)
  const snowplowId: string | { stack: string; output: string } | undefined =
    a.snowplow.id ?? (a.snowplow.mode === "create" ? { stack: STACK_NAMES.management, output: "snowplow_account_id" } : undefined);
  if (snowplowId === undefined) {
    opts.notice?.(
      `stack ${STACK_NAMES.pipeline} not synthesized: accounts.snowplow.id is not known yet. Apply the ${STACK_NAMES.management} stack, put its output account_id into accounts.snowplow.id, and synth again.`,
    );
    return undefined;
  }
  const pipeline = new AccountStack(app, STACK_NAMES.pipeline, {
    ...base,
    accountId: snowplowId,
    region: pipelineRegion,
    accessRoleName: a.snowplow.accessRoleName,
  });
  // the apply order (cdktf deploy '*' follows the manifest's dependencies)
  pipeline.addDependency(management);
  planRole(pipeline);
  const env = pipeline.env;
  const common = { path: iam.path, permissionsBoundaryArn: iam.permissionsBoundaryArn };
  const p = config.pipeline;
  new InstallerGroup(pipeline, "installer", {
    env,
    groupName: p.installer.groupName,
    flow: p.flow,
    phase: p.phase,
    path: iam.path,
    enableMfaEnforcement: iam.enableMfaEnforcement,
    scpServices,
    deleteUserWhenOperating: p.installer.deleteUserWhenOperating,
    user: { ...common, ...p.installer },
  });
  // The operator runs EmrEtlRunner: batch only. A real-time pipeline has no operator.
  const buckets = p.buckets === undefined ? undefined : { ...p.buckets, hostedAssets: p.buckets.hostedAssets ?? hostedAssetsBucket(pipelineRegion) };
  if (p.flow !== "real-time" && buckets !== undefined) {
    new OperatorGroup(pipeline, "operator", {
      env,
      groupName: p.operator.groupName,
      level: p.operator.level,
      buckets,
      snsMonitoring: p.operator.snsMonitoring,
      snsTopicName: p.operator.snsTopicName,
      emrServiceRoleName: p.operator.emrServiceRoleName,
      emrInstanceProfileRoleName: p.operator.emrInstanceProfileRoleName,
      legacyFileMoves: p.operator.legacyFileMoves,
      path: iam.path,
      enableMfaEnforcement: iam.enableMfaEnforcement,
      user: { ...common, ...p.operator },
    });
  }
  const streams = new Map(config.kinesis.streams.map((s) => [s.name, s]));
  const ref = (name: string) => streams.get(name) ?? { name };
  for (const app of config.kinesis.applications) {
    const { reads, writes } = appStreams(app);
    new KinesisApp(pipeline, `app-${app.name}`, {
      env,
      appName: app.name,
      legacyKind: app.kind,
      reads: reads.map(ref),
      writes: writes.map(ref),
      s3: app.s3,
      kclVersion: app.kclVersion,
      enhancedFanOut: app.enhancedFanOut,
      producerMetricsNamespace: app.producerMetrics ? app.producerMetricsNamespace : false,
      runAs: app.runAs,
      eks: app.eks,
      createLeaseTable: app.createLeaseTable,
      user: app.createUser ? { ...common, ...app.user } : undefined,
      ...common,
    });
  }
  if (config.spark?.enabled) {
    const s = config.spark;
    new SparkLauncher(pipeline, "spark_launcher", {
      env,
      policyPath: iam.path,
      path: s.instanceProfilePath ?? (s.createInstanceProfile ? iam.path : "/"),
      permissionsBoundaryArn: iam.permissionsBoundaryArn,
      policyName: s.launcher.policyName,
      groupName: s.launcher.groupName,
      roleName: s.launcher.roleName,
      instanceProfileName: s.instanceProfileName,
      nodeRoleName: s.nodeRoleName,
      createInstanceProfile: s.createInstanceProfile && buckets !== undefined ? { buckets } : undefined,
    });
  }
  return pipeline;
}

/** 3. The backup account's bucket, then 4. each source account's writer */
function buildBackupAndSources({ app, config, base, opts }: Ctx, previous: AccountStack, planRole: PlanRoleOf): void {
  const a = config.accounts;
  const iam = config.iam;
  if (a.backup !== undefined && config.backup !== undefined) {
    const backupRegion = a.backup.region ?? config.region;
    const backup = new AccountStack(app, STACK_NAMES.backup, {
      ...base,
      accountId: a.backup.id,
      region: backupRegion,
      assumeRoleArn: AccountStack.accessRoleArn(a.backup.id, backupRegion, a.backup.accessRoleName),
    });
    backup.addDependency(previous);
    planRole(backup);
    // a retired source is no longer admitted
    const sources: BackupSource[] = a.sources
      .filter((s) => !s.retire)
      .map((s) => ({
        name: s.name,
        accountId: s.id,
        region: s.region ?? config.region,
        method: s.method,
        writerRoleName: s.writerRoleName ?? defaultWriterRole(s.method),
      }));
    const b = config.backup;
    if (b.accessLogs === undefined && !b.cloudTrailDataEvents) {
      opts.notice?.(
        `warning: nothing records who writes to backup bucket ${b.bucketName}, which takes writes from other accounts; set backup.accessLogs (server access logs) or, if a CloudTrail trail records its S3 data events, backup.cloudTrailDataEvents: true`,
      );
    }
    new BackupBucket(backup, "backup_bucket", {
      env: backup.env,
      bucketName: b.bucketName,
      sources,
      organizationId: config.organization.id,
      admit: b.admit,
      encryption: b.encryption,
      noncurrentVersionExpirationDays: b.noncurrentVersionExpirationDays,
      abortIncompleteUploadDays: b.abortIncompleteUploadDays,
      accessLogs: b.accessLogs,
    });
    for (const s of a.sources) {
      const region = s.region ?? config.region;
      const stack = new AccountStack(app, STACK_NAMES.source(s.name), {
        ...base,
        accountId: s.id,
        region,
        assumeRoleArn: AccountStack.accessRoleArn(s.id, region, s.accessRoleName),
      });
      // a source writes into the bucket, which must exist (with its policy) first
      stack.addDependency(backup);
      planRole(stack);
      // retired: an empty stack, so Terraform destroys the writer and forgets the tables (the data ledger's removed blocks)
      if (s.retire) continue;
      new BackupWriter(stack, "backup_writer", {
        env: stack.env,
        backupEnv: accountEnv(a.backup.id, backupRegion),
        bucketName: b.bucketName,
        method: s.method,
        tables: s.tables,
        kmsEncrypted: b.encryption === "sse-kms",
        roleName: s.writerRoleName ?? defaultWriterRole(s.method),
        path: iam.path,
        permissionsBoundaryArn: iam.permissionsBoundaryArn,
      });
      const recovery = s.pointInTimeRecovery ?? (s.method === "native-export" ? "verify" : "ignore");
      if (recovery !== "ignore" && s.tables.length > 0) {
        new SourceTableRecovery(stack, "table_recovery", { tables: s.tables, mode: recovery, tableKeys: s.tableKeys });
      }
    }
  }
}
