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

variable "flow" {
  description = "The Snowplow flow being set up: batch, real-time or both."
  type        = string
  default     = "both"

  validation {
    condition     = contains(["batch", "real-time", "both"], var.flow)
    error_message = "flow must be \"batch\", \"real-time\" or \"both\"."
  }
}

variable "phase" {
  description = "install: the installer user is a member of the group; operate: it is not (the seed's workflow)."
  type        = string
  default     = "install"

  validation {
    condition     = contains(["install", "operate"], var.phase)
    error_message = "phase must be \"install\" or \"operate\"."
  }
}

variable "group_name" {
  description = "Name of the installer group."
  type        = string
  default     = "snowplow-setup"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.group_name))
    error_message = "group_name must be 1-128 characters of letters, digits and +=,.@_- (no wildcards)."
  }
}

variable "policy_name" {
  description = "Name of the group's inline setup policy."
  type        = string
  default     = "snowplow-policy-setup-infrastructure"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.policy_name))
    error_message = "policy_name must be 1-128 characters of letters, digits and +=,.@_-."
  }
}

variable "user_name" {
  description = "Name of the installer user."
  type        = string
  default     = "snowplow-setup"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.user_name))
    error_message = "user_name must be 1-64 characters of letters, digits and +=,.@_- (no wildcards)."
  }
}

variable "delete_user_when_operating" {
  description = "In the operate phase, delete the installer user instead of only removing it from the group."
  type        = bool
  default     = false
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

variable "scp_services" {
  description = "Services the account's service control policy leaves open (the sub-account module's allowed_services output); the published policy's other services are left out. null: no SCP, the published list as it is."
  type        = list(string)
  default     = null
}
