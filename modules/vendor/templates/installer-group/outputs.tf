output "group_name" {
  description = "Name of the installer group."
  value       = aws_iam_group.this.name
}

output "group_arn" {
  description = "ARN of the installer group."
  value       = aws_iam_group.this.arn
}

output "user_name" {
  description = "Name of the installer user; null when it was deleted in the operate phase."
  value       = local.keep_user ? aws_iam_user.installer[0].name : null
}

output "installer_policy_json" {
  description = "The group's setup policy (Snowplow's published installer policy for the flow)."
  value       = local.installer_policy
}

output "self_service_policy_json" {
  description = "The group's self-service policy (own password, keys and MFA; MFA enforcement)."
  value       = local.self_service_policy
}
