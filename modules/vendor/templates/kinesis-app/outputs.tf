output "role_name" {
  description = "Name of the application's IAM role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the application's IAM role."
  value       = aws_iam_role.this.arn
}

output "instance_profile_name" {
  description = "Instance profile of the role (run_as = ec2); null otherwise."
  value       = var.run_as == "ec2" ? aws_iam_instance_profile.this[0].name : null
}

output "policy_arn" {
  description = "ARN of the application's managed policy."
  value       = aws_iam_policy.this.arn
}

output "policy_json" {
  description = "The application's policy document."
  value       = local.policy
}

output "trust_policy_json" {
  description = "The role's trust policy."
  value       = local.trust
}

output "lease_table_name" {
  description = "The KCL lease table, when created here; null otherwise."
  value       = local.managed ? aws_dynamodb_table.lease[0].name : null
}

output "user_name" {
  description = "The application's IAM user (create_user); null without one."
  value       = try(aws_iam_user.this[0].name, null)
}
