output "account_id" {
  description = "Id of the Snowplow account: the account the pipeline's modules are applied in."
  value       = aws_organizations_account.this.id
}

output "account_arn" {
  description = "ARN of the Snowplow account."
  value       = aws_organizations_account.this.arn
}

output "service_control_policy_json" {
  description = "The service control policy document, as attached."
  value       = local.scp_policy
}

output "service_control_policy_id" {
  description = "Id of the service control policy; null when it is not created."
  value       = var.create_service_control_policy ? aws_organizations_policy.services[0].id : null
}

output "allowed_services" {
  description = "Services the service control policy leaves open (null without an SCP): pass it to installer-group's scp_services."
  value       = var.create_service_control_policy ? local.allowed_services : null
}
