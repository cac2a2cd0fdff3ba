/**
 * Stack outputs with readable, stable names (`acme_enrich_role_arn`, not a
 * construct-path hash): what a user wires into an EKS service-account
 * annotation, an ECS task definition or another stack.
 */
import { TerraformOutput } from "./cdk";
import type { Construct } from "constructs";

/** a name as a Terraform output name part: letters, digits and `_` */
export const outputName = (...parts: string[]) => parts.map((p) => p.replace(/[^A-Za-z0-9_]/g, "_")).join("_");

export function stackOutput(scope: Construct, name: string, value: string, description: string): TerraformOutput {
  const out = new TerraformOutput(scope, `output_${name}`, { value, description });
  out.overrideLogicalId(name);
  return out;
}
