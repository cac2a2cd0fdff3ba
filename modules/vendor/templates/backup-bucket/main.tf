# The locked-down backup bucket of seed 004, in its own account: versioned,
# encrypted, owner-enforced, private, TLS-only, guarded against destroy; each
# production account writes only under <bucket>/<its account id>/.

locals {
  bucket  = "arn:${var.partition}:s3:::${var.bucket_name}"
  objects = "${local.bucket}/*"
  own     = "$${aws:PrincipalAccount}"
  org     = var.organization_id == null ? {} : { "aws:PrincipalOrgID" = var.organization_id }
  sources = [for s in var.sources : merge(s, {
    writer = coalesce(s.writer_role_name, s.method == "native-export" ? "snowplow-backup-writer" : "DataPipelineDefaultResourceRole")
    # Sid-safe name: "shop" -> "Shop"
    sid = "${join("", [for p in regexall("[A-Za-z0-9]+", s.name) : "${upper(substr(p, 0, 1))}${substr(p, 1, -1)}"])}${s.account_id}"
  })]
  alias = "alias/${var.bucket_name}"

  guards = [
    {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = ["*"] }
      Action    = ["s3:*"]
      Resource  = [local.bucket, local.objects]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    },
    {
      Sid       = "DenyDeletingBackupVersions"
      Effect    = "Deny"
      Principal = { AWS = ["*"] }
      Action    = ["s3:DeleteObjectVersion"]
      Resource  = [local.objects]
    },
  ]

  write_actions = {
    # a DynamoDB export writes only (PutObject, PutObjectAcl, AbortMultipartUpload)
    "native-export" = ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"]
    "data-pipeline" = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"]
  }

  # One statement group per source account, Sids naming it.
  per_account = flatten([for s in local.sources : [
    for c in [
      {
        include = true
        statement = {
          Sid       = "${s.sid}WriteOwnPrefix"
          Effect    = "Allow"
          Principal = { AWS = ["arn:${var.partition}:iam::${s.account_id}:root"] }
          Action    = local.write_actions[s.method]
          Resource  = ["${local.bucket}/${s.account_id}/*"]
          Condition = merge({ ArnEquals = { "aws:PrincipalArn" = "arn:${var.partition}:iam::${s.account_id}:role/${s.writer}" } }, { for k, v in { StringEquals = local.org } : k => v if length(v) > 0 })
        }
      },
      {
        include = s.method == "data-pipeline"
        statement = {
          Sid       = "${s.sid}DeleteScratchObjects"
          Effect    = "Allow"
          Principal = { AWS = ["arn:${var.partition}:iam::${s.account_id}:root"] }
          Action    = ["s3:DeleteObject"]
          Resource  = sort(["${local.bucket}/${s.account_id}/*/logs/*", "${local.bucket}/${s.account_id}/*_$folder$", "${local.bucket}/${s.account_id}/*.instruction"])
          Condition = merge({ ArnEquals = { "aws:PrincipalArn" = "arn:${var.partition}:iam::${s.account_id}:role/${s.writer}" } }, { for k, v in { StringEquals = local.org } : k => v if length(v) > 0 })
        }
      },
      {
        # a DynamoDB export neither lists the bucket nor looks up its region
        include = s.method == "data-pipeline"
        statement = {
          Sid       = "${s.sid}ListOwnPrefix"
          Effect    = "Allow"
          Principal = { AWS = ["arn:${var.partition}:iam::${s.account_id}:root"] }
          Action    = ["s3:ListBucket"]
          Resource  = [local.bucket]
          Condition = merge({ ArnEquals = { "aws:PrincipalArn" = "arn:${var.partition}:iam::${s.account_id}:role/${s.writer}" } }, { for k, v in { StringEquals = local.org } : k => v if length(v) > 0 }, { StringLike = { "s3:prefix" = ["${s.account_id}/", "${s.account_id}/*"] } })
        }
      },
      {
        include = s.method == "data-pipeline"
        statement = {
          Sid       = "${s.sid}GetBucketLocation"
          Effect    = "Allow"
          Principal = { AWS = ["arn:${var.partition}:iam::${s.account_id}:root"] }
          Action    = ["s3:GetBucketLocation"]
          Resource  = [local.bucket]
          Condition = merge({ ArnEquals = { "aws:PrincipalArn" = "arn:${var.partition}:iam::${s.account_id}:role/${s.writer}" } }, { for k, v in { StringEquals = local.org } : k => v if length(v) > 0 })
        }
      },
    ] : c.statement if c.include
  ]])

  # The same grants for more accounts than one group each can fit: sources with
  # the same method and writer role share statements; objects are named with
  # $${aws:PrincipalAccount}, so each account still reaches only its own prefix.
  groups = { for s in local.sources : "${s.method}|${s.writer}" => s... }
  shared = flatten([for key, g in local.groups : [
    for c in [
      {
        include = true
        statement = {
          Sid       = "${join("", [for p in regexall("[A-Za-z0-9]+", "${g[0].method}-${g[0].writer}") : "${upper(substr(p, 0, 1))}${substr(p, 1, -1)}"])}WriteOwnPrefix"
          Effect    = "Allow"
          Principal = { AWS = ["*"] }
          Action    = local.write_actions[g[0].method]
          Resource  = ["${local.bucket}/${local.own}/*"]
          Condition = { StringEquals = merge(var.admit == "organization" ? {} : { "aws:PrincipalAccount" = sort([for s in g : s.account_id]) }, local.org), ArnLike = { "aws:PrincipalArn" = "arn:${var.partition}:iam::*:role/${g[0].writer}" } }
        }
      },
      {
        include = g[0].method == "data-pipeline"
        statement = {
          Sid       = "${join("", [for p in regexall("[A-Za-z0-9]+", "${g[0].method}-${g[0].writer}") : "${upper(substr(p, 0, 1))}${substr(p, 1, -1)}"])}DeleteScratchObjects"
          Effect    = "Allow"
          Principal = { AWS = ["*"] }
          Action    = ["s3:DeleteObject"]
          Resource  = sort(["${local.bucket}/${local.own}/*/logs/*", "${local.bucket}/${local.own}/*_$folder$", "${local.bucket}/${local.own}/*.instruction"])
          Condition = { StringEquals = merge(var.admit == "organization" ? {} : { "aws:PrincipalAccount" = sort([for s in g : s.account_id]) }, local.org), ArnLike = { "aws:PrincipalArn" = "arn:${var.partition}:iam::*:role/${g[0].writer}" } }
        }
      },
      {
        include = g[0].method == "data-pipeline"
        statement = {
          Sid       = "${join("", [for p in regexall("[A-Za-z0-9]+", "${g[0].method}-${g[0].writer}") : "${upper(substr(p, 0, 1))}${substr(p, 1, -1)}"])}ListOwnPrefix"
          Effect    = "Allow"
          Principal = { AWS = ["*"] }
          Action    = ["s3:ListBucket"]
          Resource  = [local.bucket]
          Condition = { StringEquals = merge(var.admit == "organization" ? {} : { "aws:PrincipalAccount" = sort([for s in g : s.account_id]) }, local.org), ArnLike = { "aws:PrincipalArn" = "arn:${var.partition}:iam::*:role/${g[0].writer}" }, StringLike = { "s3:prefix" = ["${local.own}/", "${local.own}/*"] } }
        }
      },
      {
        include = g[0].method == "data-pipeline"
        statement = {
          Sid       = "${join("", [for p in regexall("[A-Za-z0-9]+", "${g[0].method}-${g[0].writer}") : "${upper(substr(p, 0, 1))}${substr(p, 1, -1)}"])}GetBucketLocation"
          Effect    = "Allow"
          Principal = { AWS = ["*"] }
          Action    = ["s3:GetBucketLocation"]
          Resource  = [local.bucket]
          Condition = { StringEquals = merge(var.admit == "organization" ? {} : { "aws:PrincipalAccount" = sort([for s in g : s.account_id]) }, local.org), ArnLike = { "aws:PrincipalArn" = "arn:${var.partition}:iam::*:role/${g[0].writer}" } }
        }
      },
    ] : c.statement if c.include
  ]])

  per_account_policy = jsonencode({ Version = "2012-10-17", Statement = concat(local.guards, local.per_account) })
  shared_policy      = jsonencode({ Version = "2012-10-17", Statement = concat(local.guards, local.shared) })
  # per-account statements while they fit AWS's 20 KB bucket policy quota
  bucket_policy = var.admit == "listed-accounts" && length(local.per_account_policy) <= 20480 ? local.per_account_policy : local.shared_policy

  key_admin = {
    Sid       = "AdministerKeyFromBackupAccount"
    Effect    = "Allow"
    Principal = { AWS = ["arn:${var.partition}:iam::${var.account_id}:root"] }
    # AWS's default key policy statement: the account's IAM policies govern the key,
    # so it never becomes unmanageable. In a key policy, "*" means this key.
    Action   = ["kms:*"]
    Resource = ["*"]
  }
  key_writers = length(local.sources) == 0 ? [] : [
    {
      Sid       = "EncryptBackupsThroughS3"
      Effect    = "Allow"
      Principal = { AWS = sort(distinct([for s in local.sources : "arn:${var.partition}:iam::${s.account_id}:root"])) }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = ["*"]
      Condition = {
        StringEquals = { "kms:ViaService" = "s3.${var.region}.amazonaws.com" }
        ArnLike      = { "aws:PrincipalArn" = sort(distinct([for s in local.sources : "arn:${var.partition}:iam::${s.account_id}:role/${s.writer}"])) }
      }
    },
  ]
  key_writers_shared = length(local.sources) == 0 ? [] : [
    {
      Sid       = "EncryptBackupsThroughS3"
      Effect    = "Allow"
      Principal = { AWS = ["*"] }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = ["*"]
      Condition = {
        StringEquals = merge(
          { "kms:ViaService" = "s3.${var.region}.amazonaws.com" },
          # maps of lists on both sides: a conditional between objects of different shapes is a type error
          var.admit == "organization" && var.organization_id != null ? tomap({ "aws:PrincipalOrgID" = [var.organization_id] }) : tomap({ "aws:PrincipalAccount" = sort([for s in local.sources : s.account_id]) }),
        )
        ArnLike = { "aws:PrincipalArn" = sort(distinct([for s in local.sources : "arn:${var.partition}:iam::*:role/${s.writer}"])) }
      }
    },
  ]
  key_policy_per_account = jsonencode({ Version = "2012-10-17", Statement = concat([local.key_admin], local.key_writers) })
  key_policy_shared      = jsonencode({ Version = "2012-10-17", Statement = concat([local.key_admin], local.key_writers_shared) })
  key_policy             = var.admit == "listed-accounts" && length(local.key_policy_per_account) <= 32768 ? local.key_policy_per_account : local.key_policy_shared
}

resource "aws_s3_bucket" "this" {
  bucket        = var.bucket_name
  force_destroy = false

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_key" "this" {
  count = var.encryption == "sse-kms" ? 1 : 0

  description             = "Encrypts the backups in ${var.bucket_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = local.key_policy

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  count = var.encryption == "sse-kms" ? 1 : 0

  name          = local.alias
  target_key_id = aws_kms_key.this[0].key_id
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    bucket_key_enabled = var.encryption == "sse-kms"

    apply_server_side_encryption_by_default {
      sse_algorithm     = var.encryption == "sse-kms" ? "aws:kms" : "AES256"
      kms_master_key_id = var.encryption == "sse-kms" ? aws_kms_key.this[0].arn : null
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {
      prefix = ""
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_upload_days
    }
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_logs == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_logs.bucket_name
  target_prefix = var.access_logs.prefix
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = local.bucket_policy

  lifecycle {
    prevent_destroy = true
    precondition {
      condition     = length(local.bucket_policy) <= 20480
      error_message = "The bucket policy passes AWS's 20 KB quota even with shared statements; set admit = \"organization\"."
    }
    precondition {
      condition     = var.admit == "listed-accounts" || var.organization_id != null
      error_message = "admit = \"organization\" needs organization_id."
    }
  }
}
