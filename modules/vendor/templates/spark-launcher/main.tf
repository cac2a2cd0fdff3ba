# Lets a person or role launch Spark clusters with Flintrock (seed 003): the
# EC2 calls Flintrock makes (nchammas/flintrock, flintrock/ec2.py) instead of
# AmazonEC2FullAccess, and the two IAM calls the seed pruned IAMFullAccess to.

locals {
  ec2       = "arn:${var.partition}:ec2:${var.region}:${var.account_id}"
  in_region = { StringEquals = { "aws:RequestedRegion" = var.region } }
  # The profile and its role keep their own path: seed 003's EMR_EC2_DefaultRole lives at "/".
  profile_path = coalesce(var.profile_path, var.create_instance_profile ? var.path : "/")
  node_role    = "arn:${var.partition}:iam::${var.account_id}:role${local.profile_path}${var.node_role_name}"
  launcher_statements = [
    {
      Sid    = "DescribeEc2ForFlintrock"
      Effect = "Allow"
      Action = ["ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]
      # These Describe calls support no resource-level permission; the region condition narrows them.
      Resource  = ["*"]
      Condition = local.in_region
    },
    {
      Sid       = "DescribeFlintrockAttributes"
      Effect    = "Allow"
      Action    = ["ec2:DescribeInstanceAttribute", "ec2:DescribeVpcAttribute"]
      Resource  = ["${local.ec2}:instance/*", "${local.ec2}:vpc/*"]
      Condition = local.in_region
    },
    {
      Sid       = "ManageFlintrockSecurityGroups"
      Effect    = "Allow"
      Action    = ["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup"]
      Resource  = ["${local.ec2}:security-group/*", "${local.ec2}:vpc/*"]
      Condition = local.in_region
    },
    {
      Sid    = "LaunchFlintrockInstances"
      Effect = "Allow"
      Action = ["ec2:RunInstances"]
      Resource = sort([
        "${local.ec2}:instance/*", "${local.ec2}:key-pair/*", "${local.ec2}:network-interface/*", "${local.ec2}:placement-group/*", "${local.ec2}:security-group/*",
        "${local.ec2}:spot-instances-request/*", "${local.ec2}:subnet/*", "${local.ec2}:volume/*", "arn:${var.partition}:ec2:${var.region}::image/*",
      ])
      Condition = local.in_region
    },
    {
      Sid    = "TagInstancesAtLaunch"
      Effect = "Allow"
      Action = ["ec2:CreateTags"]
      # Flintrock 2.1.0 tags only ResourceType "instance" at launch (ec2.py lines 737-739)
      Resource  = ["${local.ec2}:instance/*"]
      Condition = { StringEquals = { "aws:RequestedRegion" = var.region, "ec2:CreateAction" = "RunInstances" } }
    },
    {
      Sid      = "ManageOwnFlintrockInstances"
      Effect   = "Allow"
      Action   = ["ec2:ModifyInstanceAttribute", "ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"]
      Resource = ["${local.ec2}:instance/*"]
      # only instances Flintrock launched: it tags them flintrock-role = master | slave
      Condition = {
        StringEquals = { "aws:RequestedRegion" = var.region }
        StringLike   = { "ec2:ResourceTag/flintrock-role" = ["master", "slave"] }
      }
    },
    {
      # destroy and remove-slaves call ModifyInstanceAttribute(Groups=[base group]) (ec2.py lines 195,
      # 393), which AWS also authorizes on the security group; Flintrock's groups carry no tag.
      Sid       = "MoveFlintrockInstancesToBaseGroup"
      Effect    = "Allow"
      Action    = ["ec2:ModifyInstanceAttribute"]
      Resource  = ["${local.ec2}:security-group/*"]
      Condition = local.in_region
    },
    {
      Sid      = "GetSparkInstanceProfile"
      Effect   = "Allow"
      Action   = ["iam:GetInstanceProfile"]
      Resource = ["arn:${var.partition}:iam::${var.account_id}:instance-profile${local.profile_path}${var.instance_profile_name}"]
    },
    {
      Sid       = "PassSparkNodeRole"
      Effect    = "Allow"
      Action    = ["iam:PassRole"]
      Resource  = [local.node_role]
      Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } }
    },
  ]
  launcher_policy = jsonencode({ Version = "2012-10-17", Statement = local.launcher_statements })

  nb = var.node_buckets
  node_policy = var.node_buckets == null ? null : jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListPipelineBuckets"
        Effect   = "Allow"
        Action   = ["s3:GetBucketLocation", "s3:ListBucket"]
        Resource = sort(distinct([for n in [local.nb.raw_in, local.nb.processing, local.nb.enriched_out, local.nb.bad_rows, local.nb.log, local.nb.hosted_assets] : "arn:${var.partition}:s3:::${n}"]))
      },
      {
        Sid      = "ReadPipelineData"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = sort(distinct([for n in [local.nb.raw_in, local.nb.processing, local.nb.enriched_out, local.nb.hosted_assets] : "arn:${var.partition}:s3:::${n}/*"]))
      },
      {
        Sid      = "WritePipelineData"
        Effect   = "Allow"
        Action   = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"]
        Resource = sort(distinct([for n in [local.nb.processing, local.nb.enriched_out, local.nb.bad_rows, local.nb.log] : "arn:${var.partition}:s3:::${n}/*"]))
      },
    ]
  })
}

resource "aws_iam_policy" "launcher" {
  name        = var.policy_name
  path        = var.path
  description = "Launch Spark clusters with Flintrock: its EC2 calls, one instance profile, one role"
  policy      = local.launcher_policy
}

resource "aws_iam_group" "launchers" {
  count = var.group_name == null ? 0 : 1

  name = var.group_name
  path = var.path
}

resource "aws_iam_group_policy_attachment" "launchers" {
  count = var.group_name == null ? 0 : 1

  group      = aws_iam_group.launchers[0].name
  policy_arn = aws_iam_policy.launcher.arn
}

resource "aws_iam_role_policy_attachment" "launcher" {
  count = var.role_name == null ? 0 : 1

  role       = var.role_name
  policy_arn = aws_iam_policy.launcher.arn
}

resource "aws_iam_role" "node" {
  count = var.create_instance_profile ? 1 : 0

  name                 = var.node_role_name
  path                 = local.profile_path
  description          = "Spark nodes launched by Flintrock"
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "AssumeFromEc2", Effect = "Allow", Principal = { Service = ["ec2.amazonaws.com"] }, Action = ["sts:AssumeRole"] }]
  })

  lifecycle {
    precondition {
      condition     = var.node_buckets != null
      error_message = "create_instance_profile needs node_buckets (the buckets the Spark nodes read and write)."
    }
  }
}

resource "aws_iam_role_policy" "node" {
  count = var.create_instance_profile ? 1 : 0

  name   = "snowplow-spark-node-buckets"
  role   = aws_iam_role.node[0].name
  policy = local.node_policy
}

resource "aws_iam_instance_profile" "node" {
  count = var.create_instance_profile ? 1 : 0

  name = var.instance_profile_name
  path = local.profile_path
  role = aws_iam_role.node[0].name
}
