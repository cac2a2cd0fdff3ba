output "group_name" {
  description = "Name of the operator group."
  value       = aws_iam_group.this.name
}

output "user_name" {
  description = "Name of the operator user."
  value       = aws_iam_user.operator.name
}

output "policy_arn" {
  description = "ARN of the operator's managed policy."
  value       = aws_iam_policy.operator.arn
}

output "operator_policy_json" {
  description = "The operator's policy document."
  value       = local.operator_policy
}

output "self_service_policy_json" {
  description = "The group's self-service policy (own password, keys and MFA; MFA enforcement)."
  value       = local.self_service_policy
}
