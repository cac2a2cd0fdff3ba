output "bucket_name" {
  description = "Name of the backup bucket."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the backup bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_policy_json" {
  description = "The bucket policy, as attached."
  value       = local.bucket_policy
}

output "key_arn" {
  description = "ARN of the bucket's KMS key (sse-kms); null otherwise."
  value       = var.encryption == "sse-kms" ? aws_kms_key.this[0].arn : null
}

output "key_alias" {
  description = "Alias of the bucket's KMS key, which the writers' policies name (sse-kms); null otherwise."
  value       = var.encryption == "sse-kms" ? local.alias : null
}

output "key_policy_json" {
  description = "The KMS key policy (sse-kms)."
  value       = var.encryption == "sse-kms" ? local.key_policy : null
}
