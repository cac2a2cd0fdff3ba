variable "name" {
  description = "Name of the Snowplow member account, e.g. snowplow-acme (seed 001)."
  type        = string

  validation {
    condition     = can(regex("^[ -~]{1,50}$", var.name))
    error_message = "name must be 1-50 printable ASCII characters, e.g. \"snowplow-acme\"."
  }
}

variable "email" {
  description = "E-mail address of the account's root user; unique across AWS."
  type        = string

  validation {
    condition     = length(var.email) >= 6 && length(var.email) <= 64 && can(regex("^[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$", var.email))
    error_message = "email must be an e-mail address of 6-64 characters, e.g. \"aws-snowplow@example.com\"."
  }
}

variable "parent_id" {
  description = "Organizational unit or root the account is placed in; null for the organization's root."
  type        = string
  default     = null

  validation {
    condition     = var.parent_id == null || can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", var.parent_id))
    error_message = "parent_id must be a root id (r-...) or an organizational unit id (ou-...-...)."
  }
}

variable "role_name" {
  description = "Role AWS creates in the new account for the management account to assume. Cannot be read back, so changes are ignored."
  type        = string
  default     = "OrganizationAccountAccessRole"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name must be 1-64 characters of letters, digits and +=,.@_- (no wildcards)."
  }
}

variable "iam_user_access_to_billing" {
  description = "Whether IAM users of the account may see billing. Changing it replaces the account, which prevent_destroy refuses."
  type        = string
  default     = "DENY"

  validation {
    condition     = contains(["ALLOW", "DENY"], var.iam_user_access_to_billing)
    error_message = "iam_user_access_to_billing must be \"ALLOW\" or \"DENY\"."
  }
}

variable "flow" {
  description = "The Snowplow flow whose services the account may use: batch, real-time or both."
  type        = string
  default     = "both"

  validation {
    condition     = contains(["batch", "real-time", "both"], var.flow)
    error_message = "flow must be \"batch\", \"real-time\" or \"both\"."
  }
}

variable "create_service_control_policy" {
  description = "Attach a service control policy that denies every service outside the flow (seed 001, step 4)."
  type        = bool
  default     = true
}

variable "service_control_policy_name" {
  description = "Name of the service control policy; null for snowplow-<flow>-services."
  type        = string
  default     = null
}

variable "extra_services" {
  description = "Further IAM service prefixes the account may use (e.g. ecs, ecr, eks when the Kinesis apps run there)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.extra_services : can(regex("^[a-z0-9-]+$", s))])
    error_message = "extra_services must be IAM service prefixes such as \"ecs\" (lowercase letters, digits, -)."
  }
}

variable "allowed_regions" {
  description = "Deny regional services outside these regions; empty for no region restriction."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.allowed_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "allowed_regions must be region codes such as \"eu-west-1\"."
  }
}
