output "policy_arn" {
  description = "ARN of the launcher's managed policy."
  value       = aws_iam_policy.launcher.arn
}

output "launcher_policy_json" {
  description = "The launcher's policy document."
  value       = local.launcher_policy
}

output "node_policy_json" {
  description = "The Spark nodes' bucket policy; null without node_buckets."
  value       = local.node_policy
}

output "instance_profile_name" {
  description = "The nodes' instance profile, when created here; null otherwise."
  value       = var.create_instance_profile ? aws_iam_instance_profile.node[0].name : null
}
