import { PolicyDocument } from "./policy";

/** trust policy of a role that EC2 instances assume through an instance profile */
export function ec2TrustPolicy(reason: string): PolicyDocument {
  return new PolicyDocument([{ sid: "AssumeFromEc2", actions: ["sts:AssumeRole"], principals: { Service: ["ec2.amazonaws.com"] }, reason }]);
}
