# The Snowplow member account (seed 001, "link the accounts") and the service
# control policy that limits it to the services of its flow (step 4).
# Apply from the organization's management account.

locals {
  # Services seed 001 says to enable, by flow, plus what any account needs to be managed and run.
  batch_services     = ["cloudformation", "cloudfront", "ec2", "elasticbeanstalk", "elasticmapreduce", "redshift", "s3"]
  real_time_services = ["dynamodb", "kinesis"]
  account_services   = ["acm", "autoscaling", "cloudtrail", "cloudwatch", "elasticloadbalancing", "health", "iam", "kms", "logs", "sns", "sts", "support", "tag"]
  # Global services, or served from us-east-1 whatever the region: never region-restricted.
  global_services = ["acm", "cloudfront", "health", "iam", "kms", "organizations", "route53", "sts", "support"]

  allowed_services = sort(distinct(concat(
    local.batch_services,
    var.flow == "batch" ? [] : local.real_time_services,
    local.account_services,
    var.extra_services,
  )))

  # A Deny with NotAction, not an Allow list: the account also has FullAWSAccess
  # attached directly, and SCP Allows at one level add up. A Deny always wins.
  scp_candidates = [
    {
      include = true
      statement = {
        Sid       = "DenyServicesOutsideSnowplowFlow"
        Effect    = "Deny"
        NotAction = [for s in local.allowed_services : "${s}:*"]
        Resource  = ["*"]
      }
    },
    {
      include = length(var.allowed_regions) > 0
      statement = {
        Sid       = "DenyRegionsOutsideAllowList"
        Effect    = "Deny"
        NotAction = [for s in local.global_services : "${s}:*"]
        Resource  = ["*"]
        Condition = { StringNotEquals = { "aws:RequestedRegion" = var.allowed_regions } }
      }
    },
  ]
  scp_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.scp_candidates : c.statement if c.include]
  })
}

resource "aws_organizations_account" "this" {
  name                       = var.name
  email                      = var.email
  parent_id                  = var.parent_id
  role_name                  = var.role_name
  iam_user_access_to_billing = var.iam_user_access_to_billing
  # A destroy only removes the account from the organization; it never closes it.
  close_on_deletion = false

  lifecycle {
    prevent_destroy = true
    # AWS cannot read role_name back.
    ignore_changes = [role_name]
  }
}

resource "aws_organizations_policy" "services" {
  count = var.create_service_control_policy ? 1 : 0

  name        = coalesce(var.service_control_policy_name, "snowplow-${var.flow}-services")
  description = "Snowplow ${var.flow} flow: deny services the pipeline does not use"
  type        = "SERVICE_CONTROL_POLICY"
  content     = local.scp_policy
}

resource "aws_organizations_policy_attachment" "services" {
  count = var.create_service_control_policy ? 1 : 0

  policy_id = aws_organizations_policy.services[0].id
  target_id = aws_organizations_account.this.id
}
