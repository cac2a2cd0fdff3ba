# The "Snowplow Operator" group, managed policy and user (seed 000): what
# EmrEtlRunner and StorageLoader need to run the pipeline day to day.

locals {
  b = var.buckets
  # EmrEtlRunner's choice (utils.rb:34-37): the bare name in eu-west-1, -<region> elsewhere
  hosted_assets = coalesce(var.buckets.hosted_assets, var.region == "eu-west-1" ? "snowplow-hosted-assets" : "snowplow-hosted-assets-${var.region}")
  s3            = "arn:${var.partition}:s3:::"
  role          = "arn:${var.partition}:iam::${var.account_id}:role${var.emr_role_path}"
  regional      = "${var.partition}:%s:${var.region}:${var.account_id}"

  # Snowplow's final published operator policy (wiki 2016, docs 2020), as it is.
  compatible_statements = [
    {
      Sid    = "SnowplowPublishedOperatorPolicy"
      Effect = "Allow"
      Action = sort([
        "autoscaling:DescribeAutoScalingGroups", "cloudformation:DescribeStacks", "cloudformation:ListStackResources", "ec2:*",
        "elasticbeanstalk:*", "elasticmapreduce:*", "iam:PassRole", "redshift:DescribeClusters", "s3:*", "sns:*",
      ])
      Resource = ["*"]
    },
  ]

  # What EmrEtlRunner 1.0.4 (Elasticity 6.0.x) calls with the operator's keys; the data moves on
  # the cluster under EMR_EC2_DefaultRole. The CDKTF project's operator-group.ts cites each call.
  least_privilege_candidates = [
    { include = true, statement = { Sid = "StartEmrJobFlows", Effect = "Allow", Action = ["elasticmapreduce:ListClusters", "elasticmapreduce:RunJobFlow"], Resource = ["*"] } },
    {
      include = true
      statement = {
        Sid      = "ManageEmrJobFlows"
        Effect   = "Allow"
        Action   = ["elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeCluster", "elasticmapreduce:ListSteps", "elasticmapreduce:TerminateJobFlows"]
        Resource = ["arn:${format(local.regional, "elasticmapreduce")}:cluster/*"]
      }
    },
    {
      include = true
      statement = {
        Sid       = "PassEmrServiceRole"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = ["${local.role}${var.emr_service_role_name}"]
        Condition = { StringLike = { "iam:PassedToService" = "elasticmapreduce.amazonaws.com*" } }
      }
    },
    {
      include = true
      statement = {
        Sid       = "PassEmrInstanceProfileRole"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = ["${local.role}${var.emr_instance_profile_role_name}"]
        Condition = { StringLike = { "iam:PassedToService" = "ec2.amazonaws.com*" } }
      }
    },
    {
      include   = true
      statement = { Sid = "ListPipelineBuckets", Effect = "Allow", Action = ["s3:ListBucket"], Resource = sort(distinct([for n in [local.b.log, local.b.raw_in, local.b.processing, local.b.enriched_out] : "${local.s3}${n}"])) }
    },
    {
      include   = true
      statement = { Sid = "MoveRdbLoaderLogs", Effect = "Allow", Action = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], Resource = ["${local.s3}${local.b.log}/rdb-loader/*"] }
    },
    {
      include   = var.legacy_file_moves
      statement = { Sid = "LegacyDescribeEc2ForEmr", Effect = "Allow", Action = ["ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets"], Resource = ["*"] }
    },
    { include = var.legacy_file_moves, statement = { Sid = "LegacyReadCloudWatchMetrics", Effect = "Allow", Action = ["cloudwatch:GetMetricStatistics"], Resource = ["*"] } },
    {
      include = var.legacy_file_moves
      statement = {
        Sid      = "LegacyLocatePipelineBuckets"
        Effect   = "Allow"
        Action   = ["s3:GetBucketLocation", "s3:ListBucket"]
        Resource = sort(distinct([for n in [local.b.log, local.b.raw_in, local.b.processing, local.b.enriched_out, local.b.archive, local.b.bad_rows, local.hosted_assets] : "${local.s3}${n}"]))
      }
    },
    {
      include   = var.legacy_file_moves
      statement = { Sid = "LegacyReadPipelineData", Effect = "Allow", Action = ["s3:GetObject"], Resource = sort(distinct([for n in [local.b.raw_in, local.b.processing, local.b.enriched_out, local.hosted_assets] : "${local.s3}${n}/*"])) }
    },
    {
      include = var.legacy_file_moves
      statement = {
        Sid      = "LegacyWritePipelineData"
        Effect   = "Allow"
        Action   = ["s3:AbortMultipartUpload", "s3:PutObject"]
        Resource = sort(distinct([for n in [local.b.log, local.b.processing, local.b.enriched_out, local.b.archive, local.b.bad_rows] : "${local.s3}${n}/*"]))
      }
    },
    {
      include   = var.legacy_file_moves
      statement = { Sid = "LegacyDeleteMovedPipelineData", Effect = "Allow", Action = ["s3:DeleteObject"], Resource = sort(distinct([for n in [local.b.raw_in, local.b.processing, local.b.enriched_out] : "${local.s3}${n}/*"])) }
    },
    { include = var.legacy_file_moves, statement = { Sid = "LegacyDescribeRedshiftClusters", Effect = "Allow", Action = ["redshift:DescribeClusters"], Resource = ["arn:${format(local.regional, "redshift")}:cluster:*"] } },
    {
      include   = var.sns_monitoring
      statement = { Sid = "PublishMonitoringNotifications", Effect = "Allow", Action = ["sns:Publish"], Resource = ["arn:${format(local.regional, "sns")}:${var.sns_topic_name}"] }
    },
  ]

  # One list of candidates, filtered: a conditional between two statement lists
  # of different shapes is a type error in Terraform.
  operator_candidates = concat(
    [for s in local.compatible_statements : { include = var.level == "compatible", statement = s }],
    [for c in local.least_privilege_candidates : { include = var.level == "least-privilege" && c.include, statement = c.statement }],
  )
  operator_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.operator_candidates : c.statement if c.include]
  })

  # Manage your own password, keys and MFA device; nothing else without MFA.
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
        # Bool, not BoolIfExists: EmrEtlRunner's access keys cannot carry MFA and would be locked out.
        Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } }
      }
    },
  ]
  self_service_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.self_service_candidates : c.statement if c.include]
  })
}

resource "aws_iam_group" "this" {
  name = var.group_name
  path = var.path
}

resource "aws_iam_policy" "operator" {
  name = var.policy_name
  path = var.path
  # Not the level: a policy's description cannot change without replacing the policy.
  description = "Snowplow operator: what EmrEtlRunner and StorageLoader need to run the pipeline"
  policy      = local.operator_policy
}

resource "aws_iam_group_policy_attachment" "operator" {
  group      = aws_iam_group.this.name
  policy_arn = aws_iam_policy.operator.arn
}

resource "aws_iam_group_policy" "self_service" {
  name   = "snowplow-self-service"
  group  = aws_iam_group.this.name
  policy = local.self_service_policy
}

resource "aws_iam_user" "operator" {
  name                 = var.user_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  # the seed's "delete the installer" step: a user with its own MFA device or access key
  # (which MFA enforcement makes it create) cannot be deleted unless forced
  force_destroy = true
}

resource "aws_iam_user_group_membership" "operator" {
  user   = aws_iam_user.operator.name
  groups = [aws_iam_group.this.name]
}
