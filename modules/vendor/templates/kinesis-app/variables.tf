variable "account_id" {
  description = "The account the application runs in (12 digits)."
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

variable "region" {
  description = "Region of the streams and the lease table."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be a region code such as \"eu-west-1\"."
  }
}

variable "app_name" {
  description = "Application name: also its IAM role, KCL lease table and CloudWatch namespace."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,64}$", var.app_name))
    error_message = "app_name must be 3-64 characters of letters, digits, '_', '.' and '-' (no wildcards, spaces or '/')."
  }
}

variable "policy_label" {
  description = "The policy is named <app_name>-kinesis-<policy_label>: \"app\", or \"producer\"/\"consumer\" to keep the name of a policy made by the older single-purpose form (renaming replaces it)."
  type        = string
  default     = "app"

  validation {
    condition     = contains(["app", "producer", "consumer"], var.policy_label)
    error_message = "policy_label must be \"app\", \"producer\" or \"consumer\"."
  }
}

variable "read_streams" {
  description = "Streams the application consumes with the KCL (Snowplow enrich reads the raw stream); kms_key_arn when a stream is encrypted with a customer key."
  type = list(object({
    name        = string
    kms_key_arn = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.read_streams : can(regex("^[a-zA-Z0-9_.-]{1,128}$", s.name))])
    error_message = "each stream name must be 1-128 characters of letters, digits, '_', '.' and '-' (no wildcards, spaces or '/')."
  }
  validation {
    condition     = alltrue([for s in var.read_streams : s.kms_key_arn == null || can(regex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-)?[a-f0-9-]{32,36}$", s.kms_key_arn))])
    error_message = "kms_key_arn must be a KMS key ARN (not an alias, no wildcards)."
  }
}

variable "write_streams" {
  description = "Streams the application produces to (enrich writes enriched good and bad); kms_key_arn when a stream is encrypted with a customer key."
  type = list(object({
    name        = string
    kms_key_arn = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.write_streams : can(regex("^[a-zA-Z0-9_.-]{1,128}$", s.name))])
    error_message = "each stream name must be 1-128 characters of letters, digits, '_', '.' and '-' (no wildcards, spaces or '/')."
  }
  validation {
    condition     = alltrue([for s in var.write_streams : s.kms_key_arn == null || can(regex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-)?[a-f0-9-]{32,36}$", s.kms_key_arn))])
    error_message = "kms_key_arn must be a KMS key ARN (not an alias, no wildcards)."
  }
}

variable "s3_writes" {
  description = "Buckets the application writes objects into (Snowplow's S3 loader): s3:PutObject and s3:AbortMultipartUpload under prefix; kms_key_arn for SSE-KMS buckets."
  type = list(object({
    bucket      = string
    prefix      = optional(string, "")
    kms_key_arn = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for w in var.s3_writes : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", w.bucket)) && !strcontains(w.prefix, "*") && !strcontains(w.prefix, "?")])
    error_message = "each bucket must follow S3's naming rules and each prefix must hold no wildcards."
  }
}

variable "producer_metrics_namespace" {
  description = "CloudWatch namespace the KPL publishes its metrics under (its MetricsNamespace; metrics are on by default); null when the application's producer metrics are off."
  type        = string
  default     = "KinesisProducerLibrary"
}

variable "kcl_version" {
  description = "KCL (consumers) or KPL/SDK generation (producers): 1, 2 or 3."
  type        = number
  default     = 2

  validation {
    condition     = contains([1, 2, 3], var.kcl_version)
    error_message = "kcl_version must be 1, 2 or 3."
  }
}

variable "enhanced_fan_out" {
  description = "Consumer reads with enhanced fan-out; null for the KCL's default (on for KCL 2 and 3)."
  type        = bool
  default     = null
}

variable "create_lease_table" {
  description = "Create the KCL lease table (on demand, point-in-time recovery, deletion protection, prevent_destroy), so the app needs no dynamodb:CreateTable."
  type        = bool
  default     = false
}

variable "run_as" {
  description = "What assumes the application's role: ec2 (instance profile), ecs (tasks) or eks (a service account, IRSA)."
  type        = string
  default     = "ec2"

  validation {
    condition     = contains(["ec2", "ecs", "eks"], var.run_as)
    error_message = "run_as must be \"ec2\", \"ecs\" or \"eks\"."
  }
}

variable "eks" {
  description = "For run_as = eks: the cluster's OIDC provider ARN and the pod's namespace and service account."
  type = object({
    oidc_provider_arn = string
    namespace         = string
    service_account   = string
  })
  default = null

  validation {
    condition     = var.eks == null || (can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:oidc-provider/[A-Za-z0-9./_-]+$", var.eks.oidc_provider_arn)) && can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.eks.namespace)) && can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.eks.service_account)))
    error_message = "eks needs an OIDC provider ARN and Kubernetes names (lowercase letters, digits, -)."
  }
}

variable "create_user" {
  description = "Also create an IAM user named app_name with the application's policy (seed 002's StockTradeStreamUser), for an application that cannot assume the role. Roles are better."
  type        = bool
  default     = false
}

variable "path" {
  description = "IAM path of the role, policy and instance profile."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]{0,510}/)?$", var.path)) && !strcontains(var.path, "*")
    error_message = "path must start and end with /, e.g. \"/snowplow/\", without wildcards."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the role; null for none."
  type        = string
  default     = null
}
