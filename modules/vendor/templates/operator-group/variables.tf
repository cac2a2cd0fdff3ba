variable "account_id" {
  description = "The Snowplow account's id (12 digits); names the users in the self-service policy."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits, e.g. \"444455556666\"."
  }
}

variable "partition" {
  description = "AWS partition: aws, aws-cn or aws-us-gov."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.partition)
    error_message = "partition must be \"aws\", \"aws-cn\" or \"aws-us-gov\"."
  }
}

variable "level" {
  description = "least-privilege: named buckets, EMR clusters and roles; compatible: Snowplow's published policy as it is (service-wide wildcards on *)."
  type        = string
  default     = "least-privilege"

  validation {
    condition     = contains(["least-privilege", "compatible"], var.level)
    error_message = "level must be \"least-privilege\" or \"compatible\"."
  }
}

variable "buckets" {
  description = "The pipeline's S3 buckets, by role (seed 000). hosted_assets is Snowplow's public bucket of jars and enrichments."
  type = object({
    log           = string
    raw_in        = string
    processing    = string
    enriched_out  = string
    archive       = string
    bad_rows      = string
    hosted_assets = optional(string)
  })

  validation {
    condition     = alltrue([for b in values(var.buckets) : (length(b) >= 3 && length(b) <= 63 && can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", b)) && !strcontains(b, "..") && !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", b))) if b != null])
    error_message = "each bucket name must follow S3's rules: 3-63 lowercase letters, digits, '.' and '-', no '..', not an IP address, no wildcards."
  }
}

variable "group_name" {
  description = "Name of the operator group."
  type        = string
  default     = "snowplow-data-pipeline"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.group_name))
    error_message = "group_name must be 1-128 characters of letters, digits and +=,.@_- (no wildcards)."
  }
}

variable "policy_name" {
  description = "Name of the operator's managed policy."
  type        = string
  default     = "snowplow-policy-operate-datapipeline"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.policy_name))
    error_message = "policy_name must be 1-128 characters of letters, digits and +=,.@_-."
  }
}

variable "user_name" {
  description = "Name of the operator user."
  type        = string
  default     = "snowplow-operator"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.user_name))
    error_message = "user_name must be 1-64 characters of letters, digits and +=,.@_- (no wildcards)."
  }
}

variable "sns_monitoring" {
  description = "Grant sns:Publish on the monitoring topic."
  type        = bool
  default     = false
}

variable "sns_topic_name" {
  description = "The monitoring topic, when sns_monitoring is on."
  type        = string
  default     = "snowplow-monitoring"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.sns_topic_name))
    error_message = "sns_topic_name must be 1-256 letters, digits, _ and -."
  }
}

variable "region" {
  description = "Region of the EMR clusters, Redshift and the SNS topic."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be a region code such as \"eu-west-1\"."
  }
}

variable "emr_service_role_name" {
  description = "EMR service role that RunJobFlow passes to EMR."
  type        = string
  default     = "EMR_DefaultRole"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.emr_service_role_name))
    error_message = "emr_service_role_name must be a role name without wildcards."
  }
}

variable "emr_instance_profile_role_name" {
  description = "Role of the EMR nodes' instance profile, passed to EC2."
  type        = string
  default     = "EMR_EC2_DefaultRole"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.emr_instance_profile_role_name))
    error_message = "emr_instance_profile_role_name must be a role name without wildcards."
  }
}

variable "emr_role_path" {
  description = "IAM path of the two EMR roles."
  type        = string
  default     = "/"
}

variable "path" {
  description = "IAM path of the group and user."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]{0,510}/)?$", var.path)) && !strcontains(var.path, "*")
    error_message = "path must start and end with /, e.g. \"/snowplow/\", without wildcards."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the user; null for none."
  type        = string
  default     = null
}

variable "enable_mfa_enforcement" {
  description = "Deny everything but MFA set-up to console sessions without MFA (DenyAllExceptListedIfNoMFA)."
  type        = bool
  default     = true
}

variable "legacy_file_moves" {
  description = "least-privilege only: also grant what releases before S3DistCp staging needed (Sluice moved files with the operator's keys; StorageLoader read Redshift). EmrEtlRunner 1.0.x needs none of it."
  type        = bool
  default     = false
}
