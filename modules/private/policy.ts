/**
 * A small typed builder for IAM policy documents. Every statement has a Sid
 * and a reason (why the pipeline needs it), statements are checked where they
 * are made, and documents render to the same bytes every time.
 */

export type Effect = "Allow" | "Deny";
/** condition operator -> condition key -> value(s) */
export type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface StatementProps {
  /** unique within its document: letters and digits only (AWS's rule for Sids) */
  readonly sid: string;
  /** @default "Allow" */
  readonly effect?: Effect;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** principals, for resource policies: type -> identifiers */
  readonly principals?: Readonly<Record<string, readonly string[]>>;
  readonly conditions?: Conditions;
  /** one line: what in the pipeline needs this statement (shown in reports, never in the JSON) */
  readonly reason: string;
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

const SID = /^[A-Za-z0-9]+$/;
const ACTION = /^([a-z0-9-]+:[A-Za-z0-9*]+|\*)$/;

export class Statement {
  readonly sid: string;
  readonly effect: Effect;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: Readonly<Record<string, readonly string[]>>;
  readonly conditions: Conditions;
  readonly reason: string;

  constructor(props: StatementProps) {
    this.sid = props.sid;
    this.effect = props.effect ?? "Allow";
    this.actions = uniqueSorted(props.actions ?? []);
    this.notActions = uniqueSorted(props.notActions ?? []);
    this.resources = uniqueSorted(props.resources ?? []);
    this.notResources = uniqueSorted(props.notResources ?? []);
    this.principals = props.principals ?? {};
    this.conditions = props.conditions ?? {};
    this.reason = props.reason;
    const where = `statement ${JSON.stringify(this.sid)}`;
    if (!SID.test(this.sid)) throw new PolicyError(`${where}: a Sid may hold only letters and digits`);
    if (this.actions.length > 0 && this.notActions.length > 0) {
      throw new PolicyError(`${where}: give actions or notActions, not both`);
    }
    if (this.actions.length === 0 && this.notActions.length === 0) {
      throw new PolicyError(`${where}: has no actions; an empty statement grants nothing and hides intent`);
    }
    if (this.resources.length > 0 && this.notResources.length > 0) {
      throw new PolicyError(`${where}: give resources or notResources, not both`);
    }
    for (const a of [...this.actions, ...this.notActions]) {
      if (!ACTION.test(a)) throw new PolicyError(`${where}: action ${JSON.stringify(a)} is not of the form service:Action, e.g. "s3:GetObject"`);
    }
    if (this.reason.trim() === "") throw new PolicyError(`${where}: needs a reason`);
  }

  /** the statement as IAM JSON, keys in a fixed order */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { Sid: this.sid, Effect: this.effect };
    if (Object.keys(this.principals).length > 0) {
      const p: Record<string, string[]> = {};
      for (const k of Object.keys(this.principals).sort()) p[k] = uniqueSorted(this.principals[k]);
      out.Principal = p;
    }
    if (this.actions.length > 0) out.Action = [...this.actions];
    if (this.notActions.length > 0) out.NotAction = [...this.notActions];
    if (this.resources.length > 0) out.Resource = [...this.resources];
    if (this.notResources.length > 0) out.NotResource = [...this.notResources];
    if (Object.keys(this.conditions).length > 0) {
      const c: Record<string, Record<string, string | string[]>> = {};
      for (const op of Object.keys(this.conditions).sort()) {
        c[op] = {};
        for (const key of Object.keys(this.conditions[op]).sort()) {
          const v = this.conditions[op][key];
          c[op][key] = typeof v === "string" ? v : uniqueSorted(v);
        }
      }
      out.Condition = c;
    }
    return out;
  }
}

export class PolicyDocument {
  readonly statements: readonly Statement[];

  constructor(statements: readonly (Statement | StatementProps)[]) {
    this.statements = statements.map((s) => (s instanceof Statement ? s : new Statement(s)));
    const seen = new Set<string>();
    for (const s of this.statements) {
      if (seen.has(s.sid)) throw new PolicyError(`statement Sid ${JSON.stringify(s.sid)} is used twice in one policy`);
      seen.add(s.sid);
    }
    if (this.statements.length === 0) throw new PolicyError("a policy needs at least one statement");
  }

  toJSON(): Record<string, unknown> {
    return { Version: "2012-10-17", Statement: this.statements.map((s) => s.toJSON()) };
  }

  /**
   * the policy JSON as Terraform receives it: stable, two-space indented, or
   * compact where AWS counts whitespace against the size limit (SCPs)
   */
  render(options: { readonly compact?: boolean } = {}): string {
    return options.compact ? JSON.stringify(this.toJSON()) : JSON.stringify(this.toJSON(), null, 2);
  }

  /**
   * render() as a Terraform string literal: IAM policy variables such as
   * `${aws:username}` must reach AWS as they are, so Terraform's template
   * sequences are escaped (`$${`, `%%{`).
   */
  toTerraform(options: { readonly compact?: boolean } = {}): string {
    return escapeTerraformTemplate(this.render(options));
  }
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** a Sid-safe form of a name: `acme-raw.good` -> `AcmeRawGood` */
export function sidPart(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((x) => x !== "")
    .map((x) => x[0].toUpperCase() + x.slice(1))
    .join("");
}

/** escape Terraform template sequences so a string literal stays literal */
/**
 * A CDKTF token in a string: a value known only from another stack's state (the member account
 * id). Policy text keeps it for CDKTF to resolve; checks and reports stand in for it.
 */
export const CDKTF_TOKEN = /\$\{TfToken\[TOKEN\.\d+\]\}/g;

export function escapeTerraformTemplate(text: string): string {
  // CDKTF tokens (a value another stack outputs) stay as they are: CDKTF turns them into references
  return text.replace(/\$\{(?!TfToken\[)/g, () => "$${").replace(/%\{/g, () => "%%{");
}
