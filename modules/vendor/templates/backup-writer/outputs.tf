output "role_name" {
  description = "The writer role (created for native-export, the existing Data Pipeline role otherwise)."
  value       = local.role
}

output "role_arn" {
  description = "ARN of the writer role, as the backup bucket's policy names it."
  value       = "arn:${var.partition}:iam::${var.account_id}:role/${local.role}"
}

output "policy_arn" {
  description = "ARN of the writer policy."
  value       = aws_iam_policy.writer.arn
}

output "policy_json" {
  description = "The writer policy document."
  value       = local.policy
}

output "recovered_tables" {
  description = "The tables whose point-in-time recovery this module manages (enable_point_in_time_recovery), by name: the caller's import blocks target these addresses."
  value       = sort(keys(aws_dynamodb_table.recovered))
}
