# The installer group and user of Snowplow's setup guide, with the guide's
# one inline policy by flow, and the seed's workflow: in the operate phase the
# installer leaves the group (or is deleted).

locals {
  # Snowplow's "IAM permissions for installing Snowplow", per flow. The page warns
  # they are broader than needed: that is why the installer leaves the group.
  batch_services     = ["acm", "autoscaling", "cloudformation", "cloudfront", "cloudwatch", "ec2", "elasticbeanstalk", "elasticloadbalancing", "elasticmapreduce", "es", "iam", "rds", "redshift", "s3", "sns"]
  real_time_services = ["autoscaling", "cloudformation", "cloudfront", "cloudwatch", "dynamodb", "ec2", "elasticloadbalancing", "iam", "kinesis", "logs", "sns"]
  published          = var.flow == "real-time" ? local.real_time_services : concat(local.batch_services, var.flow == "both" ? ["dynamodb", "kinesis", "logs"] : [])
  # Services the account's SCP denies are left out: such a grant can never work (es, rds and
  # aws-marketplace are not among the services seed 001 enables).
  services = sort(distinct([for s in local.published : s if var.scp_services == null || contains(coalesce(var.scp_services, []), s)]))

  installer_candidates = [
    {
      include = true
      statement = {
        Sid      = "SetupSnowplowServices"
        Effect   = "Allow"
        Action   = [for s in local.services : "${s}:*"]
        Resource = ["*"]
      }
    },
    {
      include = var.flow == "real-time"
      statement = {
        Sid      = "ReadCollectorCertificates"
        Effect   = "Allow"
        Action   = ["acm:DescribeCertificate", "acm:ListCertificates"]
        Resource = ["*"]
      }
    },
    {
      include = var.flow != "real-time" && (var.scp_services == null || contains(coalesce(var.scp_services, []), "aws-marketplace"))
      statement = {
        Sid      = "SubscribeMarketplaceImages"
        Effect   = "Allow"
        Action   = ["aws-marketplace:Subscribe", "aws-marketplace:Unsubscribe", "aws-marketplace:ViewSubscriptions"]
        Resource = ["*"]
      }
    },
  ]
  installer_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.installer_candidates : c.statement if c.include]
  })

  # Manage your own password, keys and MFA device; nothing else without MFA.
  # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
  # A user's own ARN under any IAM path: user/NAME and user/PATH/NAME (names hold no "/", so
  # "user/*/alice" cannot match "bob-alice").
  self = ["arn:${var.partition}:iam::${var.account_id}:user/$${aws:username}", "arn:${var.partition}:iam::${var.account_id}:user/*/$${aws:username}"]
  self_service_candidates = [
    {
      include   = true
      statement = { Sid = "AllowViewAccountInfo", Effect = "Allow", Action = ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], Resource = ["*"] }
    },
    {
      include = true
      statement = {
        Sid      = "AllowManageOwnPasswordAndKeys"
        Effect   = "Allow"
        Action   = ["iam:ChangePassword", "iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed", "iam:GetLoginProfile", "iam:GetUser", "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:UpdateLoginProfile"]
        Resource = local.self
      }
    },
    {
      include   = true
      statement = { Sid = "AllowManageOwnVirtualMFADevice", Effect = "Allow", Action = ["iam:CreateVirtualMFADevice"], Resource = ["arn:${var.partition}:iam::${var.account_id}:mfa/*"] }
    },
    {
      include   = true
      statement = { Sid = "AllowManageOwnUserMFA", Effect = "Allow", Action = ["iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"], Resource = local.self }
    },
    {
      include = true
      statement = {
        Sid       = "AllowDeactivateOwnUserMFAWithMFA"
        Effect    = "Allow"
        Action    = ["iam:DeactivateMFADevice"]
        Resource  = local.self
        Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
      }
    },
    {
      include = var.enable_mfa_enforcement
      statement = {
        Sid       = "DenyAllExceptListedIfNoMFA"
        Effect    = "Deny"
        NotAction = ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetAccountPasswordPolicy", "iam:GetMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
        Resource  = ["*"]
        # BoolIfExists: an access key the installer makes must not skip MFA while the group grants iam:*.
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      }
    },
  ]
  self_service_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.self_service_candidates : c.statement if c.include]
  })

  keep_user = var.phase == "install" || !var.delete_user_when_operating
}

resource "aws_iam_group" "this" {
  name = var.group_name
  path = var.path
}

resource "aws_iam_group_policy" "setup" {
  name   = var.policy_name
  group  = aws_iam_group.this.name
  policy = local.installer_policy
}

resource "aws_iam_group_policy" "self_service" {
  name   = "snowplow-self-service"
  group  = aws_iam_group.this.name
  policy = local.self_service_policy
}

resource "aws_iam_user" "installer" {
  count = local.keep_user ? 1 : 0

  name                 = var.user_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  # the seed's "delete the installer" step: a user with its own MFA device or access key
  # (which MFA enforcement makes it create) cannot be deleted unless forced
  force_destroy = true
}

# Per-user membership, not aws_iam_group_membership: that resource owns the
# whole member list and would remove members added outside Terraform.
resource "aws_iam_user_group_membership" "installer" {
  count = var.phase == "install" && local.keep_user ? 1 : 0

  user   = aws_iam_user.installer[0].name
  groups = [aws_iam_group.this.name]
}
