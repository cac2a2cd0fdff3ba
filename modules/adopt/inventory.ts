/**
 * An account's IAM as `aws iam get-account-authorization-details` dumps it
 * (UserDetailList, GroupDetailList, RoleDetailList, Policies: the API's field
 * names, https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html),
 * read strictly: every problem is one line naming the field, never a crash.
 * Policy documents come URL-encoded from the API and decoded from the CLI;
 * both are read.
 */
import { ConfigError, type ConfigProblem } from "../config/errors";
import { oneLine } from "../private/one-line";

export interface InlinePolicy {
  readonly name: string;
  readonly document: unknown;
}
export interface Principal {
  readonly kind: "user" | "group" | "role";
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly inline: InlinePolicy[];
  /** attached managed policies, by ARN */
  readonly attached: string[];
  /** users: the groups they are in */
  readonly groups: string[];
}
export interface ManagedPolicy {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  /** the default version's document */
  readonly document: unknown;
}
export interface Inventory {
  readonly account: string;
  readonly principals: Principal[];
  readonly policies: Map<string, ManagedPolicy>;
  /** instance profile names (from the roles' InstanceProfileList) */
  readonly instanceProfiles: Set<string>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** a policy document as the API (URL-encoded string) or the CLI (decoded object) gives it */
function decodeDocument(v: unknown): unknown {
  if (isObj(v)) return v;
  if (typeof v !== "string") throw new Error("not a policy document");
  const text = v.trimStart().startsWith("{") ? v : decodeURIComponent(v.replace(/\+/g, " "));
  const parsed: unknown = JSON.parse(text);
  if (!isObj(parsed)) throw new Error("not a policy document");
  return parsed;
}

export function readInventory(text: string, shown: string): Inventory {
  const problems: ConfigProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ field, message });
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ConfigError(shown, [
      {
        field: "",
        message: `not JSON (${oneLine(e instanceof Error ? e.message : String(e))}); write it with aws iam get-account-authorization-details --output json > ${oneLine(shown)}`,
      },
    ]);
  }
  if (!isObj(raw) || !["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"].some((k) => k in raw)) {
    throw new ConfigError(shown, [
      { field: "", message: "is not the output of aws iam get-account-authorization-details (no UserDetailList, GroupDetailList, RoleDetailList or Policies)" },
    ]);
  }
  const root = raw;
  if (root.IsTruncated === true) bad("IsTruncated", "the dump is one page of several; run the command without --max-items (the CLI fetches every page)");
  const list = (key: string): Obj[] => {
    const v = root[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      bad(key, "expected a list");
      return [];
    }
    return v.filter((x, i) => {
      if (!isObj(x)) bad(`${key}[${i}]`, "expected an object");
      return isObj(x);
    });
  };
  const str = (o: Obj, at: string, k: string): string => {
    const v = o[k];
    if (typeof v !== "string" || v === "") {
      bad(`${at}.${k}`, "missing or not a string");
      return "";
    }
    return v;
  };
  const accounts = new Set<string>();
  const inline = (o: Obj, at: string, key: string): InlinePolicy[] =>
    (Array.isArray(o[key]) ? (o[key] as unknown[]) : []).flatMap((p, i) => {
      if (!isObj(p)) {
        bad(`${at}.${key}[${i}]`, "expected an object");
        return [];
      }
      try {
        return [{ name: str(p, `${at}.${key}[${i}]`, "PolicyName"), document: decodeDocument(p.PolicyDocument) }];
      } catch {
        bad(`${at}.${key}[${i}].PolicyDocument`, "not a policy document (JSON, or URL-encoded JSON)");
        return [];
      }
    });
  const principals: Principal[] = [];
  const instanceProfiles = new Set<string>();
  const read = (key: string, kind: Principal["kind"], nameKey: string, inlineKey: string) =>
    list(key).forEach((o, i) => {
      const at = `${key}[${i}]`;
      const arn = str(o, at, "Arn");
      const acct = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(arn)?.[1];
      if (acct) accounts.add(acct);
      else if (arn) bad(`${at}.Arn`, `is not an IAM ARN: ${oneLine(arn).slice(0, 80)}`);
      for (const ip of Array.isArray(o.InstanceProfileList) ? (o.InstanceProfileList as unknown[]) : []) {
        if (isObj(ip) && typeof ip.InstanceProfileName === "string") instanceProfiles.add(ip.InstanceProfileName);
      }
      principals.push({
        kind,
        name: str(o, at, nameKey),
        path: typeof o.Path === "string" ? o.Path : "/",
        arn,
        inline: inline(o, at, inlineKey),
        attached: (Array.isArray(o.AttachedManagedPolicies) ? (o.AttachedManagedPolicies as unknown[]) : []).flatMap((p, j) =>
          isObj(p) ? [str(p, `${at}.AttachedManagedPolicies[${j}]`, "PolicyArn")] : [],
        ),
        groups: kind === "user" && Array.isArray(o.GroupList) ? o.GroupList.filter((g): g is string => typeof g === "string") : [],
      });
    });
  read("UserDetailList", "user", "UserName", "UserPolicyList");
  read("GroupDetailList", "group", "GroupName", "GroupPolicyList");
  read("RoleDetailList", "role", "RoleName", "RolePolicyList");
  const policies = new Map<string, ManagedPolicy>();
  list("Policies").forEach((o, i) => {
    const at = `Policies[${i}]`;
    const versions = (Array.isArray(o.PolicyVersionList) ? (o.PolicyVersionList as unknown[]) : []).filter(isObj);
    const def = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => v.VersionId === o.DefaultVersionId);
    const arn = str(o, at, "Arn");
    if (def === undefined) {
      bad(`${at}.PolicyVersionList`, "has no default version; the dump must include policy versions");
      return;
    }
    try {
      policies.set(arn, { name: str(o, at, "PolicyName"), arn, path: typeof o.Path === "string" ? o.Path : "/", document: decodeDocument(def.Document) });
    } catch {
      bad(`${at}.PolicyVersionList`, "the default version's Document is not a policy document");
    }
  });
  if (accounts.size > 1) bad("Arn", `the dump holds ARNs of several accounts (${[...accounts].sort().join(", ")}); dump one account`);
  if (problems.length > 0) throw new ConfigError(shown, problems);
  return { account: [...accounts][0] ?? "", principals, policies, instanceProfiles };
}

/** the backup bucket's policy as `aws s3api get-bucket-policy` prints it ({"Policy": "<JSON>"}), or the document itself */
export function readBucketPolicy(text: string, shown: string, bucket: string): unknown {
  const fail = (message: string): never => {
    throw new ConfigError(shown, [{ field: "", message }]);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return fail(`not JSON; write it with aws s3api get-bucket-policy --bucket ${bucket} --output json > ${oneLine(shown)}`);
  }
  let doc: unknown = raw;
  if (isObj(raw) && typeof raw.Policy === "string") {
    try {
      doc = JSON.parse(raw.Policy);
    } catch {
      return fail("its Policy is not a JSON policy document");
    }
  }
  if (!isObj(doc) || doc.Statement === undefined) return fail('is neither {"Policy": "..."} from aws s3api get-bucket-policy nor a policy document');
  const resources = JSON.stringify(doc).match(/arn:aws[a-z-]*:s3:::[^"/*]+/g) ?? [];
  const other = resources.map((r) => r.replace(/^arn:aws[a-z-]*:s3:::/, "")).find((b) => b !== bucket);
  if (other !== undefined) fail(`is the policy of bucket ${other}, but backup.bucketName is ${bucket}`);
  return doc;
}
