variable "account_id" {
  description = "The account the Spark clusters run in (12 digits)."
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
  description = "Region the Spark clusters run in (the launcher is bound to it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be a region code such as \"eu-west-1\"."
  }
}

variable "policy_name" {
  description = "Name of the launcher's managed policy."
  type        = string
  default     = "snowplow-spark-launcher"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.policy_name))
    error_message = "policy_name must be 1-128 characters of letters, digits and +=,.@_-."
  }
}

variable "group_name" {
  description = "Create this group (for people who launch clusters) and attach the policy; null for no group."
  type        = string
  default     = null

  validation {
    condition     = var.group_name == null || can(regex("^[\\w+=,.@-]{1,128}$", var.group_name))
    error_message = "group_name must be 1-128 characters of letters, digits and +=,.@_- (no wildcards)."
  }
}

variable "role_name" {
  description = "Attach the policy to this existing role (e.g. a CI runner's); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name must be a role name without wildcards."
  }
}

variable "instance_profile_name" {
  description = "Instance profile Flintrock starts the Spark nodes with."
  type        = string
  default     = "snowplow-spark-node"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.instance_profile_name))
    error_message = "instance_profile_name must be 1-128 characters of letters, digits and +=,.@_- (no wildcards)."
  }
}

variable "node_role_name" {
  description = "The role in that instance profile: the only role the launcher may pass, and only to EC2."
  type        = string
  default     = "snowplow-spark-node"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.node_role_name))
    error_message = "node_role_name must be a role name without wildcards."
  }
}

variable "create_instance_profile" {
  description = "Create the node role and instance profile, with read and write access to node_buckets."
  type        = bool
  default     = false
}

variable "node_buckets" {
  description = "Buckets the Spark nodes use, when create_instance_profile is on: raw_in, processing, enriched_out, bad_rows, log and hosted_assets."
  type = object({
    log           = string
    raw_in        = string
    processing    = string
    enriched_out  = string
    bad_rows      = string
    hosted_assets = optional(string, "snowplow-hosted-assets")
  })
  default = null

  validation {
    condition     = alltrue([for b in try(values(var.node_buckets), []) : length(b) >= 3 && length(b) <= 63 && can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", b)) && !strcontains(b, "..")])
    error_message = "each bucket name must follow S3's rules (3-63 lowercase letters, digits, '.' and '-', no '..', no wildcards)."
  }
}

variable "path" {
  description = "IAM path of the policy, group, node role and instance profile."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]{0,510}/)?$", var.path)) && !strcontains(var.path, "*")
    error_message = "path must start and end with /, e.g. \"/snowplow/\", without wildcards."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the node role; null for none."
  type        = string
  default     = null
}

variable "profile_path" {
  description = "IAM path of the instance profile and its role, as in their ARNs (seed 003's EMR_EC2_DefaultRole is at \"/\"); null: path when create_instance_profile is on, else \"/\"."
  type        = string
  default     = null

  validation {
    condition     = var.profile_path == null || can(regex("^/([\\x21-\\x7e]{0,510}/)?$", coalesce(var.profile_path, "/")))
    error_message = "profile_path must begin and end with '/', e.g. \"/\" or \"/snowplow/\"."
  }
}
