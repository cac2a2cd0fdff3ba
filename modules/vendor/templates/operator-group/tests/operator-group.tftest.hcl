mock_provider "aws" {
  # the provider validates ARNs: give the mocked policy a well-formed one
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::444455556666:policy/mock" }
  }
}

variables {
  account_id = "444455556666"
  region     = "eu-west-1"
  buckets = {
    log          = "acme-snowplow-logs"
    raw_in       = "acme-snowplow-raw"
    processing   = "acme-snowplow-processing"
    enriched_out = "acme-snowplow-enriched"
    archive      = "acme-snowplow-archive"
    bad_rows     = "acme-snowplow-bad-rows"
  }
}

run "least_privilege_names_buckets_clusters_and_roles" {
  command = apply

  assert {
    condition     = [for s in jsondecode(output.operator_policy_json).Statement : s.Resource if s.Sid == "MoveRdbLoaderLogs"][0] == ["arn:aws:s3:::acme-snowplow-logs/rdb-loader/*"]
    error_message = "with its own keys EmrEtlRunner reads and renames only RDB Loader's logs"
  }
  assert {
    condition     = length([for s in jsondecode(output.operator_policy_json).Statement : s if contains(s.Action, "s3:GetObject") && s.Sid != "MoveRdbLoaderLogs"]) == 0
    error_message = "pipeline data is moved on the cluster, not with the operator's keys"
  }
  assert {
    condition     = !contains([for s in jsondecode(output.operator_policy_json).Statement : s.Sid], "LegacyReadPipelineData")
    error_message = "the older releases' grants only with legacy_file_moves"
  }
  assert {
    condition     = [for s in jsondecode(output.operator_policy_json).Statement : s.Condition.StringLike["iam:PassedToService"] if s.Sid == "PassEmrServiceRole"][0] == "elasticmapreduce.amazonaws.com*"
    error_message = "the EMR service role is passed to EMR only"
  }
  assert {
    condition     = length([for s in jsondecode(output.operator_policy_json).Statement : s if contains(s.Action, "s3:*")]) == 0
    error_message = "no service-wide wildcards at the least-privilege level"
  }
}

run "legacy_file_moves_brings_back_the_sluice_grants_and_the_regional_hosted_assets" {
  command = apply

  variables {
    region            = "us-east-1"
    legacy_file_moves = true
  }

  assert {
    condition     = contains([for s in jsondecode(output.operator_policy_json).Statement : s.Resource if s.Sid == "LegacyReadPipelineData"][0], "arn:aws:s3:::snowplow-hosted-assets-us-east-1/*")
    error_message = "outside eu-west-1 the hosted assets are snowplow-hosted-assets-<region>, as EmrEtlRunner picks them"
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(output.operator_policy_json).Statement : s.Resource if s.Sid == "LegacyDeleteMovedPipelineData"]), "arn:aws:s3:::acme-snowplow-archive/*")
    error_message = "the archive is never deleted from"
  }
}

run "compatible_is_the_published_policy" {
  command = apply

  variables {
    level = "compatible"
  }

  assert {
    condition     = contains(jsondecode(output.operator_policy_json).Statement[0].Action, "s3:*") && jsondecode(output.operator_policy_json).Statement[0].Resource == ["*"]
    error_message = "the compatible level is Snowplow's published policy"
  }
}

run "rejects_an_invalid_bucket_name" {
  command = plan

  variables {
    buckets = {
      log          = "Acme_Logs"
      raw_in       = "acme-snowplow-raw"
      processing   = "acme-snowplow-processing"
      enriched_out = "acme-snowplow-enriched"
      archive      = "acme-snowplow-archive"
      bad_rows     = "acme-snowplow-bad-rows"
    }
  }

  expect_failures = [var.buckets]
}
