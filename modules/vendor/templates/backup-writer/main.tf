# The production account's side of the backups (seed 004): a role that may
# export the named tables into its own prefix of the backup bucket, or, for
# data-pipeline, the seed's grants on the existing Data Pipeline resource role.

locals {
  native = var.method == "native-export"
  role   = coalesce(var.role_name, local.native ? "snowplow-backup-writer" : "DataPipelineDefaultResourceRole")
  bucket = "arn:${var.partition}:s3:::${var.bucket_name}"
  own    = "${local.bucket}/${var.account_id}/*"
  tables = sort(distinct([for t in var.tables : "arn:${var.partition}:dynamodb:${var.region}:${var.account_id}:table/${t}"]))

  candidates = [
    {
      include   = local.native
      statement = { Sid = "ExportTablesToPointInTime", Effect = "Allow", Action = ["dynamodb:ExportTableToPointInTime"], Resource = local.tables }
    },
    {
      include   = local.native
      statement = { Sid = "DescribeTableExports", Effect = "Allow", Action = ["dynamodb:DescribeExport"], Resource = [for t in local.tables : "${t}/export/*"] }
    },
    {
      include   = local.native
      statement = { Sid = "WriteExportsToOwnPrefix", Effect = "Allow", Action = ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"], Resource = [local.own] }
    },
    {
      include   = !local.native
      statement = { Sid = "WriteBackupsToOwnPrefix", Effect = "Allow", Action = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"], Resource = [local.own] }
    },
    {
      include = !local.native
      statement = {
        Sid      = "DeleteScratchObjects"
        Effect   = "Allow"
        Action   = ["s3:DeleteObject"]
        Resource = sort(["${local.bucket}/${var.account_id}/*/logs/*", "${local.bucket}/${var.account_id}/*_$folder$", "${local.bucket}/${var.account_id}/*.instruction"])
      }
    },
    {
      include = !local.native
      statement = {
        Sid       = "ListOwnPrefix"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = [local.bucket]
        Condition = { StringLike = { "s3:prefix" = ["${var.account_id}/", "${var.account_id}/*"] } }
      }
    },
    {
      include   = !local.native
      statement = { Sid = "GetBackupBucketLocation", Effect = "Allow", Action = ["s3:GetBucketLocation"], Resource = [local.bucket] }
    },
    {
      include = var.kms_encrypted
      statement = {
        Sid    = "EncryptWithBackupKey"
        Effect = "Allow"
        Action = ["kms:Decrypt", "kms:GenerateDataKey"]
        # The key lives in the backup account and its id is not known here: name it by its alias.
        Resource = ["arn:${var.partition}:kms:${var.backup_region}:${var.backup_account_id}:key/*"]
        Condition = {
          "ForAnyValue:StringEquals" = { "kms:ResourceAliases" = "alias/${var.bucket_name}" }
          StringEquals               = { "kms:ViaService" = "s3.${var.backup_region}.amazonaws.com" }
        }
      }
    },
  ]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for c in local.candidates : c.statement if c.include]
  })
}

# ExportTableToPointInTime needs point-in-time recovery on each table.
data "aws_dynamodb_table" "exported" {
  for_each = local.native && var.verify_point_in_time_recovery && !var.enable_point_in_time_recovery ? toset(var.tables) : toset([])

  name = each.key

  lifecycle {
    postcondition {
      condition     = try(self.point_in_time_recovery[0].enabled, false)
      error_message = "DynamoDB table ${each.key} has point-in-time recovery off, and ExportTableToPointInTime needs it. Turn it on (aws dynamodb update-continuous-backups --table-name ${each.key} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true)."
    }
  }
}

# enable_point_in_time_recovery: each table, imported by the caller, with only
# its point-in-time recovery managed. The table stays its owner's: every other
# argument is ignored, and prevent_destroy stops a wrong key schema from
# planning a replacement.
resource "aws_dynamodb_table" "recovered" {
  for_each = local.native && var.enable_point_in_time_recovery ? toset(var.tables) : toset([])

  name = each.key
  # Ignored below like everything but point-in-time recovery: set only so that a plan without the
  # import (offline, or a forgotten import block) is valid rather than failing on capacities.
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = try(var.table_keys[each.key].hash_key.name, "")
  range_key    = try(var.table_keys[each.key].range_key.name, null)

  dynamic "attribute" {
    for_each = try(concat([var.table_keys[each.key].hash_key], var.table_keys[each.key].range_key == null ? [] : [var.table_keys[each.key].range_key]), [])
    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
    ignore_changes = [
      attribute,
      billing_mode,
      deletion_protection_enabled,
      global_secondary_index,
      local_secondary_index,
      on_demand_throughput,
      read_capacity,
      replica,
      server_side_encryption,
      stream_enabled,
      stream_view_type,
      table_class,
      tags,
      tags_all,
      ttl,
      write_capacity,
    ]
    precondition {
      condition     = contains(keys(var.table_keys), each.key)
      error_message = "enable_point_in_time_recovery needs table_keys for table ${each.key}: its hash_key (and range_key) exactly as they are."
    }
  }
}

resource "aws_iam_policy" "writer" {
  name        = "snowplow-backup-writer-${var.method}"
  path        = var.path
  description = "Write DynamoDB backups of account ${var.account_id} into ${var.bucket_name}"
  policy      = local.policy

  lifecycle {
    precondition {
      condition     = !local.native || length(var.tables) > 0
      error_message = "native-export needs at least one table in tables."
    }
  }
}

resource "aws_iam_role" "writer" {
  count = local.native ? 1 : 0

  name = local.role
  # Path "/" on purpose: the backup bucket's policy names the writer role by this ARN.
  path                 = "/"
  description          = "Exports DynamoDB tables into the backup account's bucket"
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AssumeFromThisAccount"
      Effect    = "Allow"
      Principal = { AWS = ["arn:${var.partition}:iam::${var.account_id}:root"] }
      Action    = ["sts:AssumeRole"]
    }]
  })
}

resource "aws_iam_role_policy_attachment" "writer" {
  role       = local.native ? aws_iam_role.writer[0].name : local.role
  policy_arn = aws_iam_policy.writer.arn
}
