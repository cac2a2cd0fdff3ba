variable "account_id" {
  description = "The backup account's id (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits, e.g. \"777788889999\"."
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
  description = "Region of the backup bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be a region code such as \"eu-west-1\"."
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

variable "sources" {
  description = "Production accounts that write backups, each only under <bucket>/<account id>/. method: native-export (DynamoDB ExportTableToPointInTime) or data-pipeline (seed 004). writer_role_name: the role in that account that writes."
  type = list(object({
    name             = string
    account_id       = string
    method           = optional(string, "native-export")
    writer_role_name = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.sources : can(regex("^[0-9]{12}$", s.account_id))])
    error_message = "each source account_id must be exactly 12 digits."
  }
  validation {
    condition     = alltrue([for s in var.sources : contains(["native-export", "data-pipeline"], s.method)])
    error_message = "each source method must be \"native-export\" or \"data-pipeline\"."
  }
  validation {
    condition     = alltrue([for s in var.sources : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", s.name))])
    error_message = "each source name must be 1-32 lowercase letters, digits and -."
  }
  validation {
    condition     = alltrue([for s in var.sources : s.writer_role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", s.writer_role_name))])
    error_message = "writer_role_name must be a role name without wildcards."
  }
  validation {
    condition     = length(distinct([for s in var.sources : s.account_id])) == length(var.sources)
    error_message = "each source account must be listed once."
  }
}

variable "organization_id" {
  description = "Admit only principals of this organization (aws:PrincipalOrgID); null for no organization condition."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like \"o-a1b2c3d4e5\"."
  }
}

variable "admit" {
  description = "listed-accounts: the writer role of each listed source. organization: the writer role of any account of organization_id, each under its own prefix (for more accounts than a 20 KB bucket policy can list)."
  type        = string
  default     = "listed-accounts"

  validation {
    condition     = contains(["listed-accounts", "organization"], var.admit)
    error_message = "admit must be \"listed-accounts\" or \"organization\"."
  }
}

variable "encryption" {
  description = "sse-s3 (AES256) or sse-kms (a rotated key of this account whose policy lets only the writers encrypt, through S3)."
  type        = string
  default     = "sse-s3"

  validation {
    condition     = contains(["sse-s3", "sse-kms"], var.encryption)
    error_message = "encryption must be \"sse-s3\" or \"sse-kms\"."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions expire."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 36500
    error_message = "noncurrent_version_expiration_days must be 1-36500."
  }
}

variable "abort_incomplete_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_upload_days >= 1 && var.abort_incomplete_upload_days <= 365
    error_message = "abort_incomplete_upload_days must be 1-365."
  }
}

variable "access_logs" {
  description = "Write server access logs to this bucket and prefix in the backup account; null for none."
  type = object({
    bucket_name = string
    prefix      = optional(string, "backup-access-logs/")
  })
  default = null

  validation {
    condition     = var.access_logs == null || (!strcontains(try(var.access_logs.prefix, ""), "..") && !strcontains(try(var.access_logs.prefix, ""), "*"))
    error_message = "access_logs.prefix must not contain '..' or wildcards."
  }
}
