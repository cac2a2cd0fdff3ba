variable "account_id" {
  description = "The production (source) account's id (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits, e.g. \"123456789012\"."
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

variable "region" {
  description = "Region of the account's DynamoDB tables."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be a region code such as \"eu-west-1\"."
  }
}

variable "backup_account_id" {
  description = "The backup account's id (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.backup_account_id))
    error_message = "backup_account_id must be exactly 12 digits."
  }
}

variable "backup_region" {
  description = "Region of the backup bucket (and its KMS key)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.backup_region))
    error_message = "backup_region must be a region code such as \"eu-west-1\"."
  }
}

variable "bucket_name" {
  description = "Name of the backup bucket."
  type        = string

  validation {
    condition     = length(var.bucket_name) >= 3 && length(var.bucket_name) <= 63 && can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "..") && !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.bucket_name))
    error_message = "bucket_name must follow S3's rules: 3-63 lowercase letters, digits, '.' and '-', no '..', not an IP address, no wildcards."
  }
}

variable "method" {
  description = "native-export: a new role that may ExportTableToPointInTime the tables into its prefix. data-pipeline: the seed's grants, attached to the existing Data Pipeline resource role."
  type        = string
  default     = "native-export"

  validation {
    condition     = contains(["native-export", "data-pipeline"], var.method)
    error_message = "method must be \"native-export\" or \"data-pipeline\"."
  }
}

variable "tables" {
  description = "DynamoDB tables this account exports: at least one for native-export (the writer's policy names each); [] for data-pipeline."
  type        = list(string)

  validation {
    condition     = alltrue([for t in var.tables : can(regex("^[a-zA-Z0-9_.-]{3,255}$", t))])
    error_message = "each table name must be 3-255 characters of letters, digits, '_', '.' and '-' (no wildcards, spaces or '/')."
  }
}

variable "kms_encrypted" {
  description = "The backup bucket uses SSE-KMS with the backup account's key (alias/<bucket_name>)."
  type        = bool
  default     = false
}

variable "role_name" {
  description = "The writer role: created for native-export; the existing Data Pipeline resource role otherwise. null for the default of the method."
  type        = string
  default     = null

  validation {
    condition     = var.role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name must be a role name without wildcards."
  }
}

variable "verify_point_in_time_recovery" {
  description = "native-export: read each table at plan time and fail the plan unless point-in-time recovery is on (ExportTableToPointInTime needs it)."
  type        = bool
  default     = true
}

variable "enable_point_in_time_recovery" {
  description = "native-export: manage each table's point-in-time recovery and turn it on (the caller imports each table: import blocks in the root). Only point_in_time_recovery is managed; everything else of the table is ignored, and prevent_destroy guards it. Needs table_keys for every table; replaces the plan-time check."
  type        = bool
  default     = false
}

variable "table_keys" {
  description = "Key schema of each table, by table name, exactly as it is (so an imported table is never replaced): hash_key and optional range_key, each { name, type } with type S, N or B. Needed when enable_point_in_time_recovery is true."
  type = map(object({
    hash_key  = object({ name = string, type = string })
    range_key = optional(object({ name = string, type = string }))
  }))
  default = {}

  validation {
    condition     = alltrue([for k in values(var.table_keys) : contains(["S", "N", "B"], k.hash_key.type) && (k.range_key == null || try(contains(["S", "N", "B"], k.range_key.type), false))])
    error_message = "each key attribute's type must be S, N or B."
  }
}

variable "path" {
  description = "IAM path of the writer policy (the role stays at /: the bucket policy names it by that ARN)."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]{0,510}/)?$", var.path)) && !strcontains(var.path, "*")
    error_message = "path must start and end with /, e.g. \"/snowplow/\", without wildcards."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the writer role; null for none."
  type        = string
  default     = null
}
