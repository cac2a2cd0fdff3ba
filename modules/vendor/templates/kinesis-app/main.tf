# One Kinesis producer or consumer application (seed 002) under an IAM role
# (seed 000): its managed policy, role, instance profile (EC2) and optionally
# its KCL lease table.

locals {
  kinesis    = "arn:${var.partition}:kinesis:${var.region}:${var.account_id}"
  dynamodb   = "arn:${var.partition}:dynamodb:${var.region}:${var.account_id}"
  read_arns  = sort(distinct([for s in var.read_streams : "${local.kinesis}:stream/${s.name}"]))
  write_arns = sort(distinct([for s in var.write_streams : "${local.kinesis}:stream/${s.name}"]))
  read_keys  = sort(distinct([for s in var.read_streams : s.kms_key_arn if s.kms_key_arn != null]))
  write_keys = sort(distinct([for s in var.write_streams : s.kms_key_arn if s.kms_key_arn != null]))
  s3_keys    = sort(distinct([for w in var.s3_writes : w.kms_key_arn if w.kms_key_arn != null]))
  v          = var.kcl_version
  reads      = length(var.read_streams) > 0
  writes     = length(var.write_streams) > 0
  fan_out    = local.reads && coalesce(var.enhanced_fan_out, local.v >= 2)
  managed    = var.create_lease_table && local.reads
  table      = "${local.dynamodb}:table/${var.app_name}"
  # seed 002's actions on the KCL lease table
  seed_lease_actions = ["dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:UpdateItem"]

  # Same statements, order and Sids as the CDKTF project's kinesis-app-policy.ts, which cites
  # the KCL, KPL and Snowplow source line of each call.
  candidates = [
    {
      include = local.reads
      statement = {
        Sid    = "ReadStreams"
        Effect = "Allow"
        # KCL 1.9+ lists shards: https://docs.aws.amazon.com/streams/latest/dev/kcl-iam-permissions.html
        Action   = sort(concat(["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"], local.v >= 2 ? ["kinesis:DescribeStreamSummary"] : []))
        Resource = local.read_arns
      }
    },
    {
      include   = local.fan_out
      statement = { Sid = "RegisterFanOutConsumer", Effect = "Allow", Action = ["kinesis:RegisterStreamConsumer"], Resource = local.read_arns }
    },
    {
      include = local.fan_out
      statement = {
        Sid      = "ReadWithFanOut"
        Effect   = "Allow"
        Action   = ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"]
        Resource = sort(distinct([for s in var.read_streams : "${local.kinesis}:stream/${s.name}/consumer/*"]))
      }
    },
    {
      include = local.reads
      statement = {
        Sid      = "UseLeaseTable"
        Effect   = "Allow"
        Action   = sort(concat(local.managed ? [] : ["dynamodb:CreateTable"], local.seed_lease_actions, local.v >= 3 ? ["dynamodb:UpdateTable"] : []))
        Resource = [local.table]
      }
    },
    {
      include   = local.reads && local.v >= 3
      statement = { Sid = "QueryLeaseTableIndexes", Effect = "Allow", Action = ["dynamodb:Query"], Resource = ["${local.table}/index/*"] }
    },
    {
      include = local.reads && local.v >= 3
      statement = {
        Sid      = "UseKcl3StateTables"
        Effect   = "Allow"
        Action   = sort(concat(["dynamodb:CreateTable"], local.seed_lease_actions))
        Resource = ["${local.table}-CoordinatorState", "${local.table}-WorkerMetricStats"]
      }
    },
    {
      include = local.reads
      statement = {
        Sid    = "PublishAppMetrics"
        Effect = "Allow"
        Action = ["cloudwatch:PutMetricData"]
        # PutMetricData cannot be scoped to a resource; the namespace condition is the narrowing CloudWatch offers.
        Resource  = ["*"]
        Condition = { StringEquals = { "cloudwatch:namespace" = var.app_name } }
      }
    },
    {
      include = local.reads && length(local.read_keys) > 0
      statement = {
        Sid       = "DecryptStreamRecords"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = local.read_keys
        Condition = { StringEquals = { "kms:ViaService" = "kinesis.${var.region}.amazonaws.com" } }
      }
    },
    {
      include = local.writes
      statement = {
        Sid    = "WriteStreams"
        Effect = "Allow"
        # The KPL (0.14+, SDK v1 builds too) and Snowplow's sinks list shards.
        Action   = sort(concat(["kinesis:DescribeStream", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords"], local.v >= 2 ? ["kinesis:DescribeStreamSummary"] : []))
        Resource = local.write_arns
      }
    },
    {
      include = local.writes && length(local.write_keys) > 0
      statement = {
        Sid       = "EncryptStreamRecords"
        Effect    = "Allow"
        Action    = ["kms:GenerateDataKey"]
        Resource  = local.write_keys
        Condition = { StringEquals = { "kms:ViaService" = "kinesis.${var.region}.amazonaws.com" } }
      }
    },
    {
      include = local.writes && var.producer_metrics_namespace != null
      statement = {
        Sid       = "PublishProducerMetrics"
        Effect    = "Allow"
        Action    = ["cloudwatch:PutMetricData"]
        Resource  = ["*"]
        Condition = { StringEquals = { "cloudwatch:namespace" = coalesce(var.producer_metrics_namespace, "none") } }
      }
    },
    {
      include = length(var.s3_writes) > 0
      statement = {
        Sid      = "WriteS3Objects"
        Effect   = "Allow"
        Action   = ["s3:AbortMultipartUpload", "s3:PutObject"]
        Resource = sort(distinct([for w in var.s3_writes : "arn:${var.partition}:s3:::${w.bucket}/${w.prefix}*"]))
      }
    },
    {
      include = length(local.s3_keys) > 0
      statement = {
        Sid      = "EncryptS3Objects"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = local.s3_keys
        # S3 calls KMS in the bucket's region, which is the key's region
        Condition = { StringEquals = { "kms:ViaService" = sort(distinct([for k in local.s3_keys : "s3.${split(":", k)[3]}.amazonaws.com"])) } }
      }
    },
  ]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.candidates : c.statement if c.include]
  })

  issuer = var.eks == null ? "" : replace(var.eks.oidc_provider_arn, "/^arn:[^:]+:iam::[0-9]{12}:oidc-provider\\//", "")
  trust_candidates = [
    {
      include   = var.run_as == "ec2"
      statement = { Sid = "AssumeFromEc2", Effect = "Allow", Principal = { Service = ["ec2.amazonaws.com"] }, Action = ["sts:AssumeRole"] }
    },
    {
      include = var.run_as == "ecs"
      statement = {
        Sid       = "AssumeFromEcsTasks"
        Effect    = "Allow"
        Principal = { Service = ["ecs-tasks.amazonaws.com"] }
        Action    = ["sts:AssumeRole"]
        # confused-deputy guard: tasks of this account only
        Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
      }
    },
    {
      include = var.run_as == "eks"
      statement = {
        Sid       = "AssumeFromServiceAccount"
        Effect    = "Allow"
        Principal = { Federated = [try(var.eks.oidc_provider_arn, "")] }
        Action    = ["sts:AssumeRoleWithWebIdentity"]
        Condition = {
          StringEquals = {
            "${local.issuer}:aud" = "sts.amazonaws.com"
            "${local.issuer}:sub" = "system:serviceaccount:${try(var.eks.namespace, "")}:${try(var.eks.service_account, "")}"
          }
        }
      }
    },
  ]
  trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.trust_candidates : c.statement if c.include]
  })
}

resource "aws_iam_policy" "this" {
  name = "${var.app_name}-kinesis-${var.policy_label}"
  path = var.path
  # No stream names here: a policy's description cannot change without replacing the policy.
  description = "Kinesis ${var.policy_label} ${var.app_name}"
  policy      = local.policy
}

resource "aws_iam_role" "this" {
  name                 = var.app_name
  path                 = var.path
  description          = "Kinesis ${var.policy_label} ${var.app_name} (${var.run_as})"
  assume_role_policy   = local.trust
  permissions_boundary = var.permissions_boundary_arn

  lifecycle {
    precondition {
      condition     = var.run_as != "eks" || var.eks != null
      error_message = "run_as = \"eks\" needs eks (the cluster's OIDC provider, namespace and service account)."
    }
  }
}

resource "aws_iam_role_policy_attachment" "this" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.this.arn
}

resource "aws_iam_instance_profile" "this" {
  count = var.run_as == "ec2" ? 1 : 0

  name = var.app_name
  path = var.path
  role = aws_iam_role.this.name
}

# Seed 002's StockTradeStreamUser: an IAM user with the same policy, for applications that cannot
# assume a role. No access key here: make it in the caller with a pgp_key, or prefer the role.
resource "aws_iam_user" "this" {
  count = var.create_user ? 1 : 0

  name                 = var.app_name
  path                 = var.path
  permissions_boundary = var.permissions_boundary_arn
  # The user may have enrolled an MFA device or made its own access key: deleting it must not fail.
  force_destroy = true
}

resource "aws_iam_user_policy_attachment" "this" {
  count = var.create_user ? 1 : 0

  user       = aws_iam_user.this[0].name
  policy_arn = aws_iam_policy.this.arn
}

resource "aws_dynamodb_table" "lease" {
  count = local.managed ? 1 : 0

  name                        = var.app_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "leaseKey"
  deletion_protection_enabled = true

  attribute {
    name = "leaseKey"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
    # KCL 3 adds its own index to the lease table.
    ignore_changes = [global_secondary_index, attribute]
  }
}
